"""Simulated third-party providers (OpenAI, Cohere, ...): what Elasticsearch would call.

A real cluster calls the provider over HTTP. The fake answers in its place,
deterministically, and lets a test script the answers or make the provider
fail (an HTTP status with the provider's message, a network failure, a delay),
which a real cluster cannot do on demand.
"""
