// Placeholder until this module lands; see the issue that owns it.
