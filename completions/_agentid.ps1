
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'agentid' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'agentid'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'agentid' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('inventory', 'inventory', [CompletionResultType]::ParameterValue, 'List every agent identity from the registry and its sources, with findings.')
            [CompletionResult]::new('registry', 'registry', [CompletionResultType]::ParameterValue, 'Check, describe or create the agent registry (agentid.yaml)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens')
            [CompletionResult]::new('scan-secrets', 'scan-secrets', [CompletionResultType]::ParameterValue, 'Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.')
            [CompletionResult]::new('rotate-keys', 'rotate-keys', [CompletionResultType]::ParameterValue, 'Rotate an issuer''s signing keys safely: on a schedule, early, or in an emergency.')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Trade a workload token for a short-lived credential, by hand.')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'generate')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;inventory' {
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: registry''s defaults.fail_on, else high]')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Evaluate only these rules (repeat or comma-separate, e.g. AID010,AID011)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip these rules (repeat or comma-separate)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Report only this agent (a registry name, or a shadow identity''s name or id)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Read only this source (repeatable): a registry source name or an estate source name')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Also read this estate snapshot (repeatable); works without a registry')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the estate from this snapshot instead of the registry''s sources (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--allow-partial', '--allow-partial', [CompletionResultType]::ParameterName, 'Report and exit by findings even when a source could not be read (default: exit 3)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Read the registry''s sources and write the estate as a snapshot (JSON).')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;inventory;collect' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Read only this source (repeatable): a registry source name')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--allow-partial', '--allow-partial', [CompletionResultType]::ParameterName, 'Write what could be read even when a source failed (default: exit 3, write nothing)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;inventory;diff' {
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate a snapshot that records no collection time as of this time [default: now]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;inventory;help' {
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Read the registry''s sources and write the estate as a snapshot (JSON).')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;inventory;help;collect' {
            break
        }
        'agentid;inventory;help;diff' {
            break
        }
        'agentid;inventory;help;help' {
            break
        }
        'agentid;registry' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a registry and report every problem with file:line:column and field.')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the registry''s JSON Schema (also at docs/agentid.schema.json).')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter registry; never overwrites a file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;registry;validate' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;registry;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;registry;init' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;registry;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a registry and report every problem with file:line:column and field.')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the registry''s JSON Schema (also at docs/agentid.schema.json).')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter registry; never overwrites a file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;registry;help;validate' {
            break
        }
        'agentid;registry;help;schema' {
            break
        }
        'agentid;registry;help;init' {
            break
        }
        'agentid;registry;help;help' {
            break
        }
        'agentid;token' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show what a JWT says. The signature is NOT verified.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that a JWT is genuine and fits its agent''s contract.')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Mint a signed JWT with a private key file, or with an issuer''s active key.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;token;decode' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Read the token from this environment variable (give its name, not its value)')
            [CompletionResult]::new('--max-lifetime', '--max-lifetime', [CompletionResultType]::ParameterName, 'Longest acceptable lifetime (exp - iat) [default: registry''s defaults.max_token_lifetime, else 1h]')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;token;verify' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Read the token from this environment variable (give its name, not its value)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Verify many tokens: one per line of FILE (`-` = stdin); one JSON result per line, in order')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Trust the keys in this JWKS file or URL')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Trust this public key file: PEM (public key or certificate), JWK or JWKS')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The expected issuer (`iss`); without --jwks/--key its keys are found by discovery')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, '`aud` must contain this (repeatable: any one of them) [default: what the agent''s registry entry allows]')
            [CompletionResult]::new('--require-claim', '--require-claim', [CompletionResultType]::ParameterName, 'The token must carry this claim, with this value if given (repeatable)')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'The `typ` header must be this (e.g. at+jwt for RFC 9068 access tokens)')
            [CompletionResult]::new('--clock-skew', '--clock-skew', [CompletionResultType]::ParameterName, 'Tolerated clock difference [default: the agent''s thresholds.clock_skew, else defaults.clock_skew, else 60s]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check the token against this registry agent''s contract')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use cached JWKS only; never touch the network')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;token;sign' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key file: PEM or JWK')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Sign with the active key of this registry issuer (see rotate-keys): sets iss, and the lifetime may not exceed the issuer''s max_token_lifetime')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'JSON object of claims; `-` reads stdin')
            [CompletionResult]::new('--lifetime', '--lifetime', [CompletionResultType]::ParameterName, 'Set exp = now + DURATION (e.g. 15m) [default: the claims'' exp, else 15m]')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Set aud (repeatable: several make an array)')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Set sub')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Header kid [default: the key''s kid or RFC 7638 thumbprint]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Signature algorithm [default: the key''s: ES256, ES384, RS256 or EdDSA]')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'Header typ [default: JWT] (at+jwt for RFC 9068 access tokens)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Count iat/nbf/exp from this time (RFC 3339) [default: now]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;token;help' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show what a JWT says. The signature is NOT verified.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that a JWT is genuine and fits its agent''s contract.')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Mint a signed JWT with a private key file, or with an issuer''s active key.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;token;help;decode' {
            break
        }
        'agentid;token;help;verify' {
            break
        }
        'agentid;token;help;sign' {
            break
        }
        'agentid;token;help;help' {
            break
        }
        'agentid;scan-secrets' {
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md)')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Scan only files matching GLOB (.gitignore syntax; repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching GLOB (.gitignore syntax; repeatable)')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Skip files larger than SIZE (bytes, or with KB/MB/GB/KiB/MiB/GiB)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Scan only shard I of N (1-based): files split by a hash of their path, one shard per CI job')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Suppress the secrets recorded in FILE (matched by rule and fingerprint; see --write-baseline)')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Record this run''s secrets in FILE, a baseline for --baseline (written atomically; no secret in it)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding that is not suppressed is at or above this severity')
            [CompletionResult]::new('--since-commit', '--since-commit', [CompletionResultType]::ParameterName, 'With --git/--history: only commits not reachable from REV (git''s `REV..`)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'With --git/--history: only history reachable from REF (a branch, tag, HEAD or full ref; repeatable) instead of every ref')
            [CompletionResult]::new('--estate', '--estate', [CompletionResultType]::ParameterName, 'Name the credential, identity, agent and owner of each AWS, Anthropic or OpenAI key found, from this estate snapshot (docs/snapshot.md)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'threads')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symbolic links (loops are reported and skipped)')
            [CompletionResult]::new('--git', '--git', [CompletionResultType]::ParameterName, 'Scan the git history of each PATH (a repository: work tree top level, .git or bare) instead of its files')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Like --git for each PATH that is a repository; any other PATH is scanned as files')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Scan only what is staged in the index of the repository at PATH (pre-commit): staged content, not the work tree')
            [CompletionResult]::new('--no-prefilter', '--no-prefilter', [CompletionResultType]::ParameterName, 'no-prefilter')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the secret rules: id, provider, severity, lifetime and what each finds.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;scan-secrets;rules' {
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;scan-secrets;help' {
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the secret rules: id, provider, severity, lifetime and what each finds.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;scan-secrets;help;rules' {
            break
        }
        'agentid;scan-secrets;help;help' {
            break
        }
        'agentid;rotate-keys' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create an issuer''s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Each key''s kid, algorithm, state, age and times, and the next due action with its date.')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Perform the transitions that are due, and only those: idempotent and safe from cron.')
            [CompletionResult]::new('emergency', 'emergency', [CompletionResultType]::ParameterValue, 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Print the JWKS as published (the file relying parties fetch).')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The issuer''s journal: every transition with time, actor, host, command, reason, kid and from → to.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;rotate-keys;init' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name from the registry''s `issuers:` [default: the only one declared]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;status' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name [default: every issuer in the registry]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;plan' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name [default: every issuer in the registry]')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'How far ahead the timeline looks [default: 2 × rotation_period + max_token_lifetime + clock_skew]')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Preview `emergency --revoke KID`: what it would invalidate, and until when caches trust it')
            [CompletionResult]::new('--tokens', '--tokens', [CompletionResultType]::ParameterName, 'Files of tokens (one per line; `-` reads stdin) to hold against the plan: which a change would invalidate')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--rotate-now', '--rotate-now', [CompletionResultType]::ParameterName, 'Preview `run --rotate-now`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;run' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name [default: every issuer in the registry]')
            [CompletionResult]::new('--check-published', '--check-published', [CompletionResultType]::ParameterName, 'Before activating a key, fetch the JWKS from URL and refuse to activate a key that is not there yet')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--rotate-now', '--rotate-now', [CompletionResultType]::ParameterName, 'Start a rotation now rather than at rotation_period (still never before jwks_cache_ttl)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;emergency' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name from the registry''s `issuers:` [default: the only one declared]')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'The kid of the compromised key')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, in words (journaled)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;jwks' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name from the registry''s `issuers:` [default: the only one declared]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;log' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer name from the registry''s `issuers:` [default: the only one declared]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;rotate-keys;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create an issuer''s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Each key''s kid, algorithm, state, age and times, and the next due action with its date.')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Perform the transitions that are due, and only those: idempotent and safe from cron.')
            [CompletionResult]::new('emergency', 'emergency', [CompletionResultType]::ParameterValue, 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Print the JWKS as published (the file relying parties fetch).')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The issuer''s journal: every transition with time, actor, host, command, reason, kid and from → to.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;rotate-keys;help;init' {
            break
        }
        'agentid;rotate-keys;help;status' {
            break
        }
        'agentid;rotate-keys;help;plan' {
            break
        }
        'agentid;rotate-keys;help;run' {
            break
        }
        'agentid;rotate-keys;help;emergency' {
            break
        }
        'agentid;rotate-keys;help;jwks' {
            break
        }
        'agentid;rotate-keys;help;log' {
            break
        }
        'agentid;rotate-keys;help;help' {
            break
        }
        'agentid;exchange' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('oauth', 'oauth', [CompletionResultType]::ParameterValue, 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).')
            [CompletionResult]::new('aws', 'aws', [CompletionResultType]::ParameterValue, 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.')
            [CompletionResult]::new('anthropic', 'anthropic', [CompletionResultType]::ParameterValue, 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.')
            [CompletionResult]::new('entra', 'entra', [CompletionResultType]::ParameterValue, 'Microsoft Entra ID: client credentials with a federated client assertion.')
            [CompletionResult]::new('gcp', 'gcp', [CompletionResultType]::ParameterValue, 'Google Cloud workload identity federation: Google STS, then optionally impersonation.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;exchange;oauth' {
            [CompletionResult]::new('--token-endpoint', '--token-endpoint', [CompletionResultType]::ParameterName, 'Token endpoint URL')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Authorization server issuer URL: its token endpoint is found by discovery')
            [CompletionResult]::new('--grant', '--grant', [CompletionResultType]::ParameterName, 'Grant type')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, 'subject_token_type: a URN or jwt, access_token, id_token, refresh_token, saml1, saml2 [default: jwt for a JWT, else access_token]')
            [CompletionResult]::new('--actor-token', '--actor-token', [CompletionResultType]::ParameterName, 'Actor token file (`-` is stdin), for on-behalf-of')
            [CompletionResult]::new('--actor-token-env', '--actor-token-env', [CompletionResultType]::ParameterName, 'Environment variable holding the actor token')
            [CompletionResult]::new('--actor-token-type', '--actor-token-type', [CompletionResultType]::ParameterName, 'actor_token_type [default: jwt for a JWT, else access_token]')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, 'requested_token_type')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Target audience (repeatable)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Target resource URI, RFC 8707 (repeatable)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope (repeatable; sent space-separated)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'client_id')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Client authentication method [default: from what is given]')
            [CompletionResult]::new('--client-secret-file', '--client-secret-file', [CompletionResultType]::ParameterName, 'File holding the client secret')
            [CompletionResult]::new('--client-secret-env', '--client-secret-env', [CompletionResultType]::ParameterName, 'Environment variable holding the client secret')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key (PEM or JWK) that signs the private_key_jwt client assertion')
            [CompletionResult]::new('--assertion-audience', '--assertion-audience', [CompletionResultType]::ParameterName, 'aud of the client assertion [default: the token endpoint]')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, 'Subject token file; `-` reads stdin')
            [CompletionResult]::new('--subject-token-env', '--subject-token-env', [CompletionResultType]::ParameterName, 'Environment variable holding the subject token')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Get the subject token from the platform this runs on')
            [CompletionResult]::new('--source-audience', '--source-audience', [CompletionResultType]::ParameterName, 'Audience to ask github-actions or gcp-metadata for')
            [CompletionResult]::new('--source-file', '--source-file', [CompletionResultType]::ParameterName, 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place')
            [CompletionResult]::new('--source-endpoint', '--source-endpoint', [CompletionResultType]::ParameterName, 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check the token and the request against this registry agent''s trust and may_request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, secrets redacted, and send nothing')
            [CompletionResult]::new('--expect-denied', '--expect-denied', [CompletionResultType]::ParameterName, 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Include the credential itself in -f json output')
            [CompletionResult]::new('--enforce', '--enforce', [CompletionResultType]::ParameterName, 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;exchange;aws' {
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role to assume')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'RoleSessionName [default: agentid-<unix time>]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'DurationSeconds, 15m to 12h (and at most the role''s maximum) [default: STS''s, 1h]')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Session policy file (JSON) that narrows the role''s permissions')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region whose STS endpoint is called')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'STS endpoint URL instead of https://sts.REGION.amazonaws.com')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, 'Subject token file; `-` reads stdin')
            [CompletionResult]::new('--subject-token-env', '--subject-token-env', [CompletionResultType]::ParameterName, 'Environment variable holding the subject token')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Get the subject token from the platform this runs on')
            [CompletionResult]::new('--source-audience', '--source-audience', [CompletionResultType]::ParameterName, 'Audience to ask github-actions or gcp-metadata for')
            [CompletionResult]::new('--source-file', '--source-file', [CompletionResultType]::ParameterName, 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place')
            [CompletionResult]::new('--source-endpoint', '--source-endpoint', [CompletionResultType]::ParameterName, 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check the token and the request against this registry agent''s trust and may_request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, secrets redacted, and send nothing')
            [CompletionResult]::new('--expect-denied', '--expect-denied', [CompletionResultType]::ParameterName, 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Include the credential itself in -f json output')
            [CompletionResult]::new('--enforce', '--enforce', [CompletionResultType]::ParameterName, 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;exchange;anthropic' {
            [CompletionResult]::new('--federation-rule-id', '--federation-rule-id', [CompletionResultType]::ParameterName, 'Federation rule to evaluate (fdrl_…)')
            [CompletionResult]::new('--organization-id', '--organization-id', [CompletionResultType]::ParameterName, 'Anthropic organization UUID')
            [CompletionResult]::new('--service-account-id', '--service-account-id', [CompletionResultType]::ParameterName, 'Service account the token acts as (svac_…)')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'Workspace to scope the token to (wrkspc_…, or default)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, 'Subject token file; `-` reads stdin')
            [CompletionResult]::new('--subject-token-env', '--subject-token-env', [CompletionResultType]::ParameterName, 'Environment variable holding the subject token')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Get the subject token from the platform this runs on')
            [CompletionResult]::new('--source-audience', '--source-audience', [CompletionResultType]::ParameterName, 'Audience to ask github-actions or gcp-metadata for')
            [CompletionResult]::new('--source-file', '--source-file', [CompletionResultType]::ParameterName, 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place')
            [CompletionResult]::new('--source-endpoint', '--source-endpoint', [CompletionResultType]::ParameterName, 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check the token and the request against this registry agent''s trust and may_request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, secrets redacted, and send nothing')
            [CompletionResult]::new('--expect-denied', '--expect-denied', [CompletionResultType]::ParameterName, 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Include the credential itself in -f json output')
            [CompletionResult]::new('--enforce', '--enforce', [CompletionResultType]::ParameterName, 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;exchange;entra' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Directory (tenant) ID or domain')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Application (client) ID of the app registration')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'RESOURCE/.default scope (repeatable)')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'Authority host')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, 'Subject token file; `-` reads stdin')
            [CompletionResult]::new('--subject-token-env', '--subject-token-env', [CompletionResultType]::ParameterName, 'Environment variable holding the subject token')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Get the subject token from the platform this runs on')
            [CompletionResult]::new('--source-audience', '--source-audience', [CompletionResultType]::ParameterName, 'Audience to ask github-actions or gcp-metadata for')
            [CompletionResult]::new('--source-file', '--source-file', [CompletionResultType]::ParameterName, 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place')
            [CompletionResult]::new('--source-endpoint', '--source-endpoint', [CompletionResultType]::ParameterName, 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check the token and the request against this registry agent''s trust and may_request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, secrets redacted, and send nothing')
            [CompletionResult]::new('--expect-denied', '--expect-denied', [CompletionResultType]::ParameterName, 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Include the credential itself in -f json output')
            [CompletionResult]::new('--enforce', '--enforce', [CompletionResultType]::ParameterName, 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;exchange;gcp' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Workload identity provider: projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID (or the //iam.googleapis.com/… audience)')
            [CompletionResult]::new('--service-account', '--service-account', [CompletionResultType]::ParameterName, 'Impersonate this service account (email) after the STS exchange')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'OAuth scope (repeatable) [default: https://www.googleapis.com/auth/cloud-platform]')
            [CompletionResult]::new('--lifetime', '--lifetime', [CompletionResultType]::ParameterName, 'Lifetime of the impersonated token (e.g. 15m; at most 1h unless the org allows 12h)')
            [CompletionResult]::new('--credential-config', '--credential-config', [CompletionResultType]::ParameterName, 'An external_account credential configuration file (as gcloud writes it)')
            [CompletionResult]::new('--sts-endpoint', '--sts-endpoint', [CompletionResultType]::ParameterName, 'Google STS token endpoint')
            [CompletionResult]::new('--iamcredentials-endpoint', '--iamcredentials-endpoint', [CompletionResultType]::ParameterName, 'IAM Credentials API base URL')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, 'Subject token file; `-` reads stdin')
            [CompletionResult]::new('--subject-token-env', '--subject-token-env', [CompletionResultType]::ParameterName, 'Environment variable holding the subject token')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Get the subject token from the platform this runs on')
            [CompletionResult]::new('--source-audience', '--source-audience', [CompletionResultType]::ParameterName, 'Audience to ask github-actions or gcp-metadata for')
            [CompletionResult]::new('--source-file', '--source-file', [CompletionResultType]::ParameterName, 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place')
            [CompletionResult]::new('--source-endpoint', '--source-endpoint', [CompletionResultType]::ParameterName, 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check the token and the request against this registry agent''s trust and may_request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, secrets redacted, and send nothing')
            [CompletionResult]::new('--expect-denied', '--expect-denied', [CompletionResultType]::ParameterName, 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Include the credential itself in -f json output')
            [CompletionResult]::new('--enforce', '--enforce', [CompletionResultType]::ParameterName, 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;exchange;help' {
            [CompletionResult]::new('oauth', 'oauth', [CompletionResultType]::ParameterValue, 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).')
            [CompletionResult]::new('aws', 'aws', [CompletionResultType]::ParameterValue, 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.')
            [CompletionResult]::new('anthropic', 'anthropic', [CompletionResultType]::ParameterValue, 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.')
            [CompletionResult]::new('entra', 'entra', [CompletionResultType]::ParameterValue, 'Microsoft Entra ID: client credentials with a federated client assertion.')
            [CompletionResult]::new('gcp', 'gcp', [CompletionResultType]::ParameterValue, 'Google Cloud workload identity federation: Google STS, then optionally impersonation.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;exchange;help;oauth' {
            break
        }
        'agentid;exchange;help;aws' {
            break
        }
        'agentid;exchange;help;anthropic' {
            break
        }
        'agentid;exchange;help;entra' {
            break
        }
        'agentid;exchange;help;gcp' {
            break
        }
        'agentid;exchange;help;help' {
            break
        }
        'agentid;generate' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions, to stdout or -o')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Man pages, one per command, into DIR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;generate;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;generate;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to PATH (atomically) instead of stdout; `-` is stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors; no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentid;generate;help' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions, to stdout or -o')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Man pages, one per command, into DIR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;generate;help;completions' {
            break
        }
        'agentid;generate;help;man' {
            break
        }
        'agentid;generate;help;help' {
            break
        }
        'agentid;help' {
            [CompletionResult]::new('inventory', 'inventory', [CompletionResultType]::ParameterValue, 'List every agent identity from the registry and its sources, with findings.')
            [CompletionResult]::new('registry', 'registry', [CompletionResultType]::ParameterValue, 'Check, describe or create the agent registry (agentid.yaml)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens')
            [CompletionResult]::new('scan-secrets', 'scan-secrets', [CompletionResultType]::ParameterValue, 'Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.')
            [CompletionResult]::new('rotate-keys', 'rotate-keys', [CompletionResultType]::ParameterValue, 'Rotate an issuer''s signing keys safely: on a schedule, early, or in an emergency.')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Trade a workload token for a short-lived credential, by hand.')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'generate')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentid;help;inventory' {
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Read the registry''s sources and write the estate as a snapshot (JSON).')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.')
            break
        }
        'agentid;help;inventory;collect' {
            break
        }
        'agentid;help;inventory;diff' {
            break
        }
        'agentid;help;registry' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a registry and report every problem with file:line:column and field.')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the registry''s JSON Schema (also at docs/agentid.schema.json).')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter registry; never overwrites a file')
            break
        }
        'agentid;help;registry;validate' {
            break
        }
        'agentid;help;registry;schema' {
            break
        }
        'agentid;help;registry;init' {
            break
        }
        'agentid;help;token' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show what a JWT says. The signature is NOT verified.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that a JWT is genuine and fits its agent''s contract.')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Mint a signed JWT with a private key file, or with an issuer''s active key.')
            break
        }
        'agentid;help;token;decode' {
            break
        }
        'agentid;help;token;verify' {
            break
        }
        'agentid;help;token;sign' {
            break
        }
        'agentid;help;scan-secrets' {
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the secret rules: id, provider, severity, lifetime and what each finds.')
            break
        }
        'agentid;help;scan-secrets;rules' {
            break
        }
        'agentid;help;rotate-keys' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create an issuer''s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Each key''s kid, algorithm, state, age and times, and the next due action with its date.')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Perform the transitions that are due, and only those: idempotent and safe from cron.')
            [CompletionResult]::new('emergency', 'emergency', [CompletionResultType]::ParameterValue, 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Print the JWKS as published (the file relying parties fetch).')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The issuer''s journal: every transition with time, actor, host, command, reason, kid and from → to.')
            break
        }
        'agentid;help;rotate-keys;init' {
            break
        }
        'agentid;help;rotate-keys;status' {
            break
        }
        'agentid;help;rotate-keys;plan' {
            break
        }
        'agentid;help;rotate-keys;run' {
            break
        }
        'agentid;help;rotate-keys;emergency' {
            break
        }
        'agentid;help;rotate-keys;jwks' {
            break
        }
        'agentid;help;rotate-keys;log' {
            break
        }
        'agentid;help;exchange' {
            [CompletionResult]::new('oauth', 'oauth', [CompletionResultType]::ParameterValue, 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).')
            [CompletionResult]::new('aws', 'aws', [CompletionResultType]::ParameterValue, 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.')
            [CompletionResult]::new('anthropic', 'anthropic', [CompletionResultType]::ParameterValue, 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.')
            [CompletionResult]::new('entra', 'entra', [CompletionResultType]::ParameterValue, 'Microsoft Entra ID: client credentials with a federated client assertion.')
            [CompletionResult]::new('gcp', 'gcp', [CompletionResultType]::ParameterValue, 'Google Cloud workload identity federation: Google STS, then optionally impersonation.')
            break
        }
        'agentid;help;exchange;oauth' {
            break
        }
        'agentid;help;exchange;aws' {
            break
        }
        'agentid;help;exchange;anthropic' {
            break
        }
        'agentid;help;exchange;entra' {
            break
        }
        'agentid;help;exchange;gcp' {
            break
        }
        'agentid;help;generate' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions, to stdout or -o')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Man pages, one per command, into DIR')
            break
        }
        'agentid;help;generate;completions' {
            break
        }
        'agentid;help;generate;man' {
            break
        }
        'agentid;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
