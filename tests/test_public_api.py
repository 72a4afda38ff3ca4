"""The public names are a deliberate list: what `envledger`, its engine, web app and
command line export, and an error tree in errors.py that names every error class."""

from __future__ import annotations

import inspect

import envledger
from envledger import cli as command_line
from envledger import engine, errors, web


def test_the_package_exports_the_error_family_and_the_version() -> None:
    classes = {
        name for name, value in vars(errors).items()
        if inspect.isclass(value) and value.__module__ == errors.__name__
    }
    assert set(envledger.__all__) == classes | {"__version__"}
    for name in envledger.__all__:
        assert getattr(envledger, name) is getattr(errors, name, envledger.__version__)
    for name in classes - {"InputProblem"}:
        assert issubclass(getattr(errors, name), errors.EnvledgerError), name


def test_the_error_tree_in_the_docstring_names_every_error() -> None:
    tree = errors.__doc__ or ""
    for name in envledger.__all__:
        if name not in ("__version__", "InputProblem"):
            assert f"── {name}" in tree or f"    {name}\n" in tree, name


def test_engine_web_and_cli_export_what_they_promise() -> None:
    assert sorted(engine.__all__) == [
        "Inventory", "InventoryInputs", "SCHEMA", "compute_inventories", "compute_inventory",
        "explain_facility", "inventory_to_dict",
    ]
    assert sorted(web.__all__) == ["build_site", "create_app", "serve"]
    assert command_line.__all__ == ["app"]
    for module in (engine, web, command_line):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)
