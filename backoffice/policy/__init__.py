"""Scope and permission rules: who acts, what they may use, which rows they may see."""
from .actor import Actor, Context, act_as, available_contexts, build_actor, current_actor
from .modules import MODULES, Module, grantable_modules, modules_for, modules_of_kind
from .scope import visible

__all__ = [
    "MODULES",
    "Actor",
    "Context",
    "Module",
    "act_as",
    "available_contexts",
    "build_actor",
    "current_actor",
    "grantable_modules",
    "modules_for",
    "modules_of_kind",
    "visible",
]
