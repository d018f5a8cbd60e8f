"""Who gets the next ticket of a team, in pure Python.

The team (``care.team._assign_vals``) reads once per batch of new tickets who
of its agents is away and how many open tickets each holds, and hands them to
an :class:`AgentPool`; the pool then answers for every ticket of the batch
without another query, counting the tickets it gives out so that a batch
respects the capacity limit too.
"""

AWAY_REASONS = ("unavailable", "out_of_office", "leave", "holiday")


class AgentPool:
    """The agents a team may give tickets to, their absences and their load.

    :param agents: agent ids in the team's turn order
    :param away: ``{agent_id: reason}`` with a reason of ``AWAY_REASONS``
    :param load: ``{agent_id: open tickets}`` (missing agents hold none)
    :param capacity: open tickets an agent may hold; 0 means no limit
    """

    def __init__(self, agents, away=None, load=None, capacity=0):
        self.agents = list(agents)
        self.away = dict(away or {})
        self.load = dict(load or {})
        self.capacity = max(capacity or 0, 0)

    def is_full(self, agent):
        return bool(self.capacity) and self.load.get(agent, 0) >= self.capacity

    def is_free(self, agent):
        return agent not in self.away and not self.is_full(agent)

    def why_not(self, agent):
        """``None`` for a free agent, else ``"capacity"`` or an away reason."""
        if agent in self.away:
            return self.away[agent]
        return "capacity" if self.is_full(agent) else None

    def skipped(self, agents=None):
        """``[(agent, reason)]`` of the agents (default: all) not free now."""
        return [
            (agent, self.why_not(agent))
            for agent in (self.agents if agents is None else agents)
            if not self.is_free(agent)
        ]

    def take(self, agent):
        """Give ``agent`` one more ticket and return it (``None`` passes)."""
        if agent is not None:
            self.load[agent] = self.load.get(agent, 0) + 1
        return agent

    def least_loaded(self, candidates=None):
        """The free agent with the fewest open tickets (lowest id on a tie)."""
        free = [
            agent
            for agent in (self.agents if candidates is None else candidates)
            if self.is_free(agent)
        ]
        if not free:
            return None
        return min(free, key=lambda agent: (self.load.get(agent, 0), agent))

    def in_turn(self, turn):
        """The free agent whose turn ``turn`` (1, 2, ...) is, or the next free
        one after them in the turn order."""
        count = len(self.agents)
        for step in range(count):
            agent = self.agents[(turn - 1 + step) % count]
            if self.is_free(agent):
                return agent
        return None
