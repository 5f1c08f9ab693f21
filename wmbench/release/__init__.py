"""Dataset release: Hub-ready export, dataset card, Croissant metadata, licences and push."""
