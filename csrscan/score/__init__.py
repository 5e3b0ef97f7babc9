"""Grade each piece of evidence (`grade`) and score topics from it (`topics`)."""

from csrscan.score.topics import evidence_to_topics

__all__ = ["evidence_to_topics"]
