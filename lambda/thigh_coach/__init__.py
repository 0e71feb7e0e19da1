"""Thigh Pain Coach: an Alexa skill for pain in the back of the thigh.

General information, never a diagnosis. The domain modules (content, speech, voice, triage,
timer, dialog) import nothing from the Alexa SDK; `thigh_coach.alexa` is the thin layer over
them and `thigh_coach.app` wires the skill.
"""
