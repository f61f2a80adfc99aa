"""Scope and permission rules: who acts, what they may use, which rows they may see, whose password they may reset."""
from .actor import Actor, Context, act_as, available_contexts, build_actor, current_actor
from .modules import MODULES, Module, grantable_modules, modules_for, modules_of_kind
from .power import may_reset_people, power_of, reset_refusal
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
    "may_reset_people",
    "modules_for",
    "modules_of_kind",
    "power_of",
    "reset_refusal",
    "visible",
]
