"""Running stancekit fast and wide: model runtime options, and scale-out on Ray (`stancekit.scale.ray`)."""
