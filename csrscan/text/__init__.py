"""Text stages: normalize pages (`normalize`), cut them into sentences (`segment`)."""

from csrscan.text.normalize import document_to_normpages
from csrscan.text.segment import normpages_to_sentences, page_to_sentences

__all__ = ["document_to_normpages", "normpages_to_sentences", "page_to_sentences"]
