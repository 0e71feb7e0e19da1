"""Voice: turns content wordings into what is said to this user, in this locale.

A caregiver changes every question and instruction: "Is she able to..." rather than
"Are you able to...". When it is unclear who is being helped, the wording says
"the person you're helping" (subject) and "them" (object), which keep the verbs singular.
"""

from __future__ import annotations

from .content import Content, Wording

DEFAULT_LOCALE = "en-US"

# who -> (subject, object, possessive)
PERSONS = {
    "she": ("she", "her", "her"),
    "he": ("he", "him", "his"),
    "they": ("the person you're helping", "them", "their"),
}


class Voice:
    def __init__(self, content: Content, locale: str | None, who: str = "self") -> None:
        self.content = content
        self.locale_id = locale if locale is not None and locale in content.locales \
            else DEFAULT_LOCALE
        self.locale = content.locales[self.locale_id]
        self.who = who if who in PERSONS else "self"

    @property
    def helper(self) -> bool:
        return self.who != "self"

    def _values(self) -> dict[str, str]:
        subject, obj, possessive = PERSONS.get(self.who, PERSONS["they"])
        return {
            "emergency": self.locale.emergency, "emergency_card": self.locale.emergency_card,
            "emergency_department": self.locale.emergency_department,
            "same_day": self.locale.same_day,
            "soon": self.locale.soon, "subject": subject,
            "Subject": subject[0].upper() + subject[1:], "object": obj,
            "possessive": possessive,
        }

    def words(self, wording: Wording, **values: object) -> str:
        return wording.for_(self.helper).format(**self._values(), **values)

    def text(self, key: str, **values: object) -> str:
        return self.words(self.content.text(self.locale_id, key), **values)
