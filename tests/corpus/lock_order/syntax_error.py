# expect: zero
# why: a syntax error (a stray colon after a call): the cell does not run, and
# why: lock_order_cycle is never defined
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    graph.setdefault(h, set()).add(lock):
                held.append(lock)
            else:
                held.remove(lock)
    return None
