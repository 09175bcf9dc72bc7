"""Write docs/REFERENCE.md, the command reference, from the CLI's own help, deterministically.

    python scripts/gen_reference.py           # write docs/REFERENCE.md
    python scripts/gen_reference.py --check   # exit 1 if docs/REFERENCE.md is not what this gives

Everything comes from the Click command that Typer builds for ``atlascli.cli.app``: the help text
of the app and of each command, the usage, and every option and argument with its names, type or
choices, default and help. Nothing here depends on the terminal (width, colour) or the environment.
"""

from __future__ import annotations

import argparse
import enum
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "REFERENCE.md"

if importlib.util.find_spec("atlascli") is None:  # a plain clone, not installed: use src/
    sys.path.insert(0, str(ROOT / "src"))

import typer  # noqa: E402

PROG = "atlas"
EXAMPLES = "Examples:"


def atlas_app() -> typer.Typer:
    """The full ``atlas`` Typer app, every command registered."""
    from atlascli.cli.root import make_app

    return make_app()


def root_command() -> Any:
    """The Click group behind the ``atlas`` Typer app (Typer vendors Click, so typed loosely)."""
    return typer.main.get_command(atlas_app())


def _context(command: Any, name: str, parent: Any = None) -> Any:
    settings = dict(command.context_settings or {}) if parent is None else {}
    return typer.Context(command, info_name=name, parent=parent, **settings)


# --- help text -----------------------------------------------------------------------------------


def help_paragraphs(text: str | None) -> list[str]:
    """Click's help text as paragraphs: cut at ``\\f``, ``\\b`` markers dropped, lines joined."""
    text = (text or "").split("\f", 1)[0]
    paragraphs = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip() and line.strip() != "\b"]
        if lines:
            paragraphs.append(" ".join(lines))
    return paragraphs


def summary(text: str | None) -> str:
    paragraphs = help_paragraphs(text)
    return paragraphs[0] if paragraphs else ""


def help_markdown(text: str | None) -> list[str]:
    """The help as Markdown lines: prose paragraphs as they are, "Examples:" as a code block."""
    out: list[str] = []
    for paragraph in help_paragraphs(text):
        if paragraph.startswith(EXAMPLES):
            examples = [e.strip() for e in paragraph[len(EXAMPLES) :].split(" · ") if e.strip()]
            out += ["Examples:", "", "```sh", *examples, "```", ""]
        else:
            out += [paragraph, ""]
    return out


# --- parameters ----------------------------------------------------------------------------------


def is_argument(param: Any) -> bool:
    return bool(param.param_type_name == "argument")


def is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False))


def metavar(param: Any) -> str:
    """``CITY``, ``CITIES...``, ``[FELD]``: the argument as the usage line names it."""
    name = str(param.name).upper()
    if param.nargs == -1:
        name += "..."
    return name if param.required else f"[{name}]"


def param_names(param: Any) -> str:
    if is_argument(param):
        return f"`{metavar(param)}`"
    # Long names first: Click builds the help option's names from a set, in no fixed order.
    names = sorted([*param.opts, *param.secondary_opts], key=lambda n: not n.startswith("--"))
    return ", ".join(f"`{n}`" for n in names)


def _bound(value: object, open_: bool, closed: str, strict: str) -> str:
    return f"{strict if open_ else closed} {value}"


TYPE_NAMES = {"str": "text", "string": "text", "int": "integer", "float": "number", "bool": "boolean"}


def param_type(param: Any) -> str:
    kind = param.type
    choices = getattr(kind, "choices", None)
    if is_flag(param):
        text = "flag"
    elif choices is not None:
        text = " | ".join(f"`{c}`" for c in choices)
    elif hasattr(kind, "min") and hasattr(kind, "max"):
        base = "integer" if kind.name.startswith("int") else "number"
        bounds = []
        if kind.min is not None:
            bounds.append(_bound(kind.min, kind.min_open, "≥", ">"))
        if kind.max is not None:
            bounds.append(_bound(kind.max, kind.max_open, "≤", "<"))
        text = f"{base} {', '.join(bounds)}".strip()
    else:
        text = TYPE_NAMES.get(kind.name, kind.name)
    if getattr(param, "multiple", False):
        text += ", repeatable"
    if param.nargs == -1:
        text += ", one or more" if param.required else ", any number"
    return text


def param_default(param: Any) -> str:
    if param.required:
        return "required"
    default = param.default
    if callable(default):
        return ""
    if isinstance(default, enum.Enum):
        default = default.value
    if default is None or (is_flag(param) and default is False):
        return ""
    if isinstance(default, list | tuple):
        return ", ".join(f"`{d}`" for d in default)
    return f"`{default}`"


def param_help(param: Any) -> str:
    text = " ".join(help_paragraphs(getattr(param, "help", None)))
    envvar = getattr(param, "envvar", None)
    if isinstance(envvar, str):
        text += f" Environment variable: `{envvar}`."
    elif envvar:
        text += " Environment variables: " + ", ".join(f"`{e}`" for e in envvar) + "."
    return text.strip()


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped (also inside code spans, as GFM wants)."""
    return text.replace("\n", " ").replace("|", "\\|")


def params_table(params: Sequence[Any]) -> list[str]:
    rows = ["| Option or argument | Type | Default | Description |", "| --- | --- | --- | --- |"]
    for param in params:
        cells = (param_names(param), param_type(param), param_default(param), param_help(param))
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return [*rows, ""]


def visible_params(command: Any, ctx: Any) -> list[Any]:
    """Arguments first, then options, then the help option; hidden ones left out."""
    params = [p for p in command.params if not getattr(p, "hidden", False)]
    ordered = [p for p in params if is_argument(p)] + [p for p in params if not is_argument(p)]
    help_option = command.get_help_option(ctx)
    return [*ordered, help_option] if help_option is not None else ordered


def usage(command: Any, name: str | None) -> str:
    """``atlas [GLOBAL OPTIONS] NAME [OPTIONS] ARGS``, with required options spelt out."""
    if name is None:
        return f"{PROG} [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]..."
    params = [p for p in command.params if not getattr(p, "hidden", False)]
    required = [f"{p.opts[0]} {str(p.metavar or p.type.name).upper()}" for p in params if _required_option(p)]
    arguments = [metavar(p) for p in params if is_argument(p)]
    return " ".join([PROG, "[GLOBAL OPTIONS]", name, *required, "[OPTIONS]", *arguments])


def _required_option(param: Any) -> bool:
    return bool(param.required) and not is_argument(param)


# --- the page ------------------------------------------------------------------------------------


def anchor(name: str) -> str:
    """GitHub's heading anchor for ``atlas NAME``."""
    return f"#{PROG}-{name}".lower()


def generate() -> str:
    group = root_command()
    root_ctx = _context(group, PROG)
    commands = {n: c for n, c in group.commands.items() if not getattr(c, "hidden", False)}
    lines = [
        "# Command reference",
        "",
        "<!-- Generated by scripts/gen_reference.py from the CLI's own help; do not edit by hand. -->",
        "",
        "This page is generated from the help texts of `atlas` itself: run",
        "`python scripts/gen_reference.py` after changing a command, an option or a help text",
        "(`python scripts/gen_reference.py --check` and the tests fail while it is stale).",
        "`atlas --help` and `atlas COMMAND --help` show the same in the terminal.",
        "",
        f"## `{PROG}`",
        "",
        *help_markdown(group.help),
        "```text",
        usage(group, None),
        "```",
        "",
        "Global options go before the command, e.g. `atlas --no-color show Bonn`.",
        "",
        "### Global options",
        "",
        *params_table(visible_params(group, root_ctx)),
        "### Commands",
        "",
        "| Command | What it does |",
        "| --- | --- |",
        *[f"| [`{PROG} {n}`]({anchor(n)}) | {_cell(summary(c.help))} |" for n, c in commands.items()],
        "",
    ]
    for name, command in commands.items():
        ctx = _context(command, name, root_ctx)
        lines += [
            f"## `{PROG} {name}`",
            "",
            *help_markdown(command.help),
            "```text",
            usage(command, name),
            "```",
            "",
            *params_table(visible_params(command, ctx)),
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {OUTPUT.name} is stale")
    args = parser.parse_args(argv)
    text = generate()
    relative = OUTPUT.relative_to(ROOT)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
        if current != text:
            print(f"{relative} is stale: run python scripts/gen_reference.py", file=sys.stderr)
            return 1
        print(f"{relative} is up to date")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
