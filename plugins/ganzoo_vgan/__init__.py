"""ganzoo plugin: VGAN (Vondrick, Pirsiavash, Torralba 2016).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # two-stream foreground/background generator and a 3D discriminator:6; until then it is a real, empty plugin.
"""
