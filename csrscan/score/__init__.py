"""Grade each piece of evidence (`grade`) and score topics from it (`topics`)."""
