"""The engine's own plugin: registers the losses and regularizers (issue #4).

Listed in the ``ganzoo`` entry-point group like every other plugin.
"""
