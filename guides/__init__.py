"""The carbon-neutral scenic area implementation guide as versioned data (to come)."""
