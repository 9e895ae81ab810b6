"""The inference API family: routes, request handling, state and validation."""
