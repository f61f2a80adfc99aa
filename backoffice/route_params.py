"""What an exposed page reads from its URL or form: which parameters name rows, and of which table.

Every route of the app beyond Flask-Admin's own (list, 查看, 修改, 删除, actions, export) declares it:

    @expose("/classes/form/", methods=("GET", "POST"))
    @reads(id=OWN, class_id=TrainingClass)
    def class_form_view(self): ...

`OWN` is the view's own model (its `get_one` / `scoped_rows`); `@reads()` says the route names no rows
(the acting organisation's own page, an upload token of the signed-in account…). The route sweep
(tests/test_route_sweep.py) refuses an undeclared route and probes every declared parameter, for
every demo identity, with rows that identity may not see: the answer must be 404.
"""
OWN = "own"


def reads(**params):
    def declare(view_function):
        view_function.reads_rows = params
        return view_function

    return declare
