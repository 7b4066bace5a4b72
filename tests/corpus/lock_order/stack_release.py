# expect: partial
# why: treats a release as undoing the most recent acquire (a stack pop), whichever lock it
# why: names: a thread that releases its locks out of order then seems to hold the wrong ones
# why: visible tests pass: the held-lock bookkeeping of releases out of order, an edge case the
# why: statement leaves to the hidden tests (the lesson's classic mistakes, a search without a
# why: visited set and 2-cycles only, fail visibly)
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock:
                        graph.setdefault(h, set()).add(lock)
                held.append(lock)
            elif held:
                held.pop()

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
