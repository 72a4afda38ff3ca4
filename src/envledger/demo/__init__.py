"""The fictional demo company: seeded generator of import files."""

from envledger.demo.generate import DEMO_SEED, DemoFiles, generate_demo

__all__ = ["DEMO_SEED", "DemoFiles", "generate_demo"]
