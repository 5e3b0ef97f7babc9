"""Match stage: sentences -> evidence, through a pack compiled once (`compiled`).

`sentences` runs the one-pass term search and the rules on each sentence;
`anchors` finds the literals that gate each regex.
"""
