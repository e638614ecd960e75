"""Entities: recognition of people, organisations and places, and linking their names."""
