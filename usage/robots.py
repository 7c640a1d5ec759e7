"""Who is asking: a robot (not counted), a machine (counted apart) or a person.

The lists are COUNTER's own, as the counter-robots package ships and updates them.
"""

from functools import lru_cache

import counter_robots

ROBOT, MACHINE, HUMAN = "robot", "machine", "human"


@lru_cache(maxsize=4096)
def classify(user_agent):
    """ROBOT, MACHINE or HUMAN for a User-Agent header. A script (curl, wget, a Python
    library) is on both lists: it is machine use, counted apart, as COUNTER's Code of
    Practice for Research Data counts it; crawlers, and an empty or one-character agent,
    are robots. Cached: a server sees the same few hundred agents all day."""
    if counter_robots.is_machine(user_agent):
        return MACHINE
    if counter_robots.is_robot(user_agent):
        return ROBOT
    return HUMAN
