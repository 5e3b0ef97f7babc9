"""Match stage: sentences -> evidence, through a pack compiled once (`compiled`).

`sentences` runs the one-pass term search and the rules on each sentence;
`anchors` finds the literals that gate each regex.
"""

from csrscan.match.compiled import compile_pack
from csrscan.match.sentences import sentences_to_evidence

__all__ = ["compile_pack", "sentences_to_evidence"]
