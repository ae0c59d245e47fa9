# subagent SNMP face (agentx, mib_table, notify, main): sbin mprmon-subagent
