"""Exporters: trained models to the voxgate format, each verifying itself."""
