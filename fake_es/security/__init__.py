"""Simulated Elasticsearch security: Basic and API key authentication, cluster privileges."""
