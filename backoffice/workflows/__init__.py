"""Operations that change state. Each checks what it needs, changes rows, writes ReviewLog/AuditLog and
flushes; the request commits once. Views call these and turn `WorkflowError` into a message."""


class WorkflowError(Exception):
    """An operation refused for a business reason; the message is Chinese and shown as is."""
