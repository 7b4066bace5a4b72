# expect: partial
# why: adds an edge a -> a when a thread re-acquires an RLock it holds, and reports it as the
# why: cycle [a]: re-entering an RLock cannot deadlock
# why: visible tests pass: the held-lock bookkeeping of a re-acquired RLock, an edge case the
# why: statement leaves to the hidden tests (the lesson's classic mistakes, a search without a
# why: visited set and 2-cycles only, fail visibly)
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    graph.setdefault(h, set()).add(lock)
                held.append(lock)
            else:
                held.remove(lock)

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
