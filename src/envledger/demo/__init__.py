"""The fictional demo company: seeded generator of import files."""

from envledger.demo.generate import DemoFiles, generate_demo

__all__ = ["DemoFiles", "generate_demo"]
