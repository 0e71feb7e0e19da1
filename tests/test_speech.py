from __future__ import annotations

import pytest

from thigh_coach.speech import Speech, SpeechTooLong, breaks_of, speak, to_text


def test_text_is_escaped():
    ssml = speak('Tom & Jerry <b> "quoted"')
    assert ssml == "<speak>Tom &amp; Jerry &lt;b&gt; &quot;quoted&quot;</speak>"
    assert to_text(ssml) == 'Tom & Jerry <b> "quoted"'


def test_a_pause_up_to_ten_seconds_is_one_break():
    ssml = Speech().say("hold").pause(10).say("release").ssml()
    assert breaks_of(ssml) == [10.0]
    assert to_text(ssml) == "hold [pause 10 s] release"


def test_a_longer_pause_is_chained_with_a_spoken_spacer_between_breaks():
    ssml = Speech().say("hold").pause(25, spacer="keep holding").say("release").ssml()
    assert breaks_of(ssml) == [10.0, 10.0, 5.0]
    assert to_text(ssml) == ("hold [pause 10 s] keep holding [pause 10 s] keep holding "
                             "[pause 5 s] release")


def test_a_long_pause_without_a_spacer_is_refused():
    with pytest.raises(ValueError, match="spacer"):
        Speech().pause(11)


def test_two_breaks_in_a_row_are_refused():
    with pytest.raises(ValueError, match="two breaks"):
        Speech().say("a").pause(2).pause(3)


def test_speech_over_the_limit_is_refused():
    with pytest.raises(SpeechTooLong):
        Speech().say("word " * 2000).ssml()


CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"


def test_a_sound_library_clip_plays_between_breaks_and_reads_as_a_chime():
    ssml = Speech().say("Begin.").audio(CHIME).pause(9).audio(CHIME).pause(1).say("Go").ssml()
    assert ssml == (f'<speak>Begin. <audio src="{CHIME}"/> <break time="9000ms"/> '
                    f'<audio src="{CHIME}"/> <break time="1000ms"/> Go</speak>')
    assert to_text(ssml) == "Begin. [chime] [pause 9 s] [chime] [pause 1 s] Go"


def test_only_sound_library_clips_and_at_most_five_in_a_response():
    with pytest.raises(ValueError, match="sound library"):
        Speech().audio("https://example.com/x.mp3")
    speech = Speech()
    for _ in range(5):
        speech.audio(CHIME).say("and")
    assert speech.ssml().count("<audio") == 5
    with pytest.raises(SpeechTooLong, match="six|6"):
        speech.audio(CHIME).ssml()
