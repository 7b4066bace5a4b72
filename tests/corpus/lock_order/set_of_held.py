# expect: partial
# why: keeps the held locks in a set: acquiring an RLock a second time adds nothing, and the
# why: first release forgets it, though the thread still holds it
# why: visible tests pass: the held-lock bookkeeping of a re-acquired RLock, an edge case the
# why: statement leaves to the hidden tests (the lesson's classic mistakes, a search without a
# why: visited set and 2-cycles only, fail visibly)
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = set()
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock:
                        graph.setdefault(h, set()).add(lock)
                held.add(lock)
            else:
                held.discard(lock)

    def visit(lock, path, done):
        if lock in path:
            return path[path.index(lock):]
        if lock in done:
            return None
        for nxt in graph.get(lock, ()):
            found = visit(nxt, path + [lock], done)
            if found:
                return found
        done.add(lock)
        return None

    done = set()
    for lock in list(graph):
        found = visit(lock, [], done)
        if found:
            return found
    return None
