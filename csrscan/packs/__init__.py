"""Rule packs: load and validate YAML (`load`), cache compiled packs (`cache`),
document them (`doc`) and run their examples (`examples`)."""
