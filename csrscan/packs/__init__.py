"""Rule packs: load and validate YAML (`load`), choose one by id (`select`),
keep compiled packs on disk (`cache`), document them (`doc`) and run their
examples (`examples`)."""
