# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_agentid_global_optspecs
    string join \n q/quiet v/verbose color= config= f/format= o/output= h/help V/version
end

function __fish_agentid_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_agentid_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_agentid_using_subcommand
    set -l cmd (__fish_agentid_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c agentid -n "__fish_agentid_needs_command" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_needs_command" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_needs_command" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_needs_command" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_needs_command" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_needs_command" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_needs_command" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_needs_command" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "inventory" -d 'List every agent identity from the registry and its sources, with findings.'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "registry" -d 'Check, describe or create the agent registry (agentid.yaml)'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "token" -d 'Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "scan-secrets" -d 'Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "rotate-keys" -d 'Rotate an issuer\'s signing keys safely: on a schedule, early, or in an emergency.'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "exchange" -d 'Trade a workload token for a short-lived credential, by hand.'
complete -c agentid -n "__fish_agentid_needs_command" -f -a "generate"
complete -c agentid -n "__fish_agentid_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l as-of -d 'Evaluate as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: registry\'s defaults.fail_on, else high]' -r -f -a "info\t''
low\t''
medium\t''
high\t''
critical\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l only -d 'Evaluate only these rules (repeat or comma-separate, e.g. AID010,AID011)' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l skip -d 'Skip these rules (repeat or comma-separate)' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l agent -d 'Report only this agent (a registry name, or a shadow identity\'s name or id)' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l source -d 'Read only this source (repeatable): a registry source name or an estate source name' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l snapshot -d 'Also read this estate snapshot (repeatable); works without a registry' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l from -d 'Read the estate from this snapshot instead of the registry\'s sources (repeatable)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -l allow-partial -d 'Report and exit by findings even when a source could not be read (default: exit 3)'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -f -a "collect" -d 'Read the registry\'s sources and write the estate as a snapshot (JSON).'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -f -a "diff" -d 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and not __fish_seen_subcommand_from collect diff help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -l source -d 'Read only this source (repeatable): a registry source name' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -l allow-partial -d 'Write what could be read even when a source failed (default: exit 3, write nothing)'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from collect" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -l as-of -d 'Evaluate a snapshot that records no collection time as of this time [default: now]' -r
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from help" -f -a "collect" -d 'Read the registry\'s sources and write the estate as a snapshot (JSON).'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.'
complete -c agentid -n "__fish_agentid_using_subcommand inventory; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -f -a "validate" -d 'Check a registry and report every problem with file:line:column and field.'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -f -a "schema" -d 'Print the registry\'s JSON Schema (also at docs/agentid.schema.json).'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -f -a "init" -d 'Write a commented starter registry; never overwrites a file'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and not __fish_seen_subcommand_from validate schema init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from schema" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check a registry and report every problem with file:line:column and field.'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "schema" -d 'Print the registry\'s JSON Schema (also at docs/agentid.schema.json).'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented starter registry; never overwrites a file'
complete -c agentid -n "__fish_agentid_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -f -a "decode" -d 'Show what a JWT says. The signature is NOT verified.'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -f -a "verify" -d 'Check that a JWT is genuine and fits its agent\'s contract.'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -f -a "sign" -d 'Mint a signed JWT with a private key file, or with an issuer\'s active key.'
complete -c agentid -n "__fish_agentid_using_subcommand token; and not __fish_seen_subcommand_from decode verify sign help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -l env -d 'Read the token from this environment variable (give its name, not its value)' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -l max-lifetime -d 'Longest acceptable lifetime (exp - iat) [default: registry\'s defaults.max_token_lifetime, else 1h]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -l as-of -d 'Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from decode" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l env -d 'Read the token from this environment variable (give its name, not its value)' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l batch -d 'Verify many tokens: one per line of FILE (`-` = stdin); one JSON result per line, in order' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l jwks -d 'Trust the keys in this JWKS file or URL' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l key -d 'Trust this public key file: PEM (public key or certificate), JWK or JWKS' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l issuer -d 'The expected issuer (`iss`); without --jwks/--key its keys are found by discovery' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l audience -d '`aud` must contain this (repeatable: any one of them) [default: what the agent\'s registry entry allows]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l require-claim -d 'The token must carry this claim, with this value if given (repeatable)' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l typ -d 'The `typ` header must be this (e.g. at+jwt for RFC 9068 access tokens)' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l clock-skew -d 'Tolerated clock difference [default: the agent\'s thresholds.clock_skew, else defaults.clock_skew, else 60s]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l agent -d 'Check the token against this registry agent\'s contract' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l as-of -d 'Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -l offline -d 'Use cached JWKS only; never touch the network'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l key -d 'Private key file: PEM or JWK' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l issuer -d 'Sign with the active key of this registry issuer (see rotate-keys): sets iss, and the lifetime may not exceed the issuer\'s max_token_lifetime' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l claims -d 'JSON object of claims; `-` reads stdin' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l lifetime -d 'Set exp = now + DURATION (e.g. 15m) [default: the claims\' exp, else 15m]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l audience -d 'Set aud (repeatable: several make an array)' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l subject -d 'Set sub' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l kid -d 'Header kid [default: the key\'s kid or RFC 7638 thumbprint]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l alg -d 'Signature algorithm [default: the key\'s: ES256, ES384, RS256 or EdDSA]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l typ -d 'Header typ [default: JWT] (at+jwt for RFC 9068 access tokens)' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l as-of -d 'Count iat/nbf/exp from this time (RFC 3339) [default: now]' -r
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from sign" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Show what a JWT says. The signature is NOT verified.'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check that a JWT is genuine and fits its agent\'s contract.'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Mint a signed JWT with a private key file, or with an issuer\'s active key.'
complete -c agentid -n "__fish_agentid_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l rules -d 'Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l include -d 'Scan only files matching GLOB (.gitignore syntax; repeatable)' -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l exclude -d 'Skip files and directories matching GLOB (.gitignore syntax; repeatable)' -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l max-file-size -d 'Skip files larger than SIZE (bytes, or with KB/MB/GB/KiB/MiB/GiB)' -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l shard -d 'Scan only shard I of N (1-based): files split by a hash of their path, one shard per CI job' -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l baseline -d 'Suppress the secrets recorded in FILE (matched by rule and fingerprint; see --write-baseline)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l write-baseline -d 'Record this run\'s secrets in FILE, a baseline for --baseline (written atomically; no secret in it)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l fail-on -d 'Exit 1 when a finding that is not suppressed is at or above this severity' -r -f -a "info\t''
low\t''
medium\t''
high\t''
critical\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l since-commit -d 'With --git/--history: only commits not reachable from REV (git\'s `REV..`)' -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l branch -d 'With --git/--history: only history reachable from REF (a branch, tag, HEAD or full ref; repeatable) instead of every ref' -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l estate -d 'Name the credential, identity, agent and owner of each AWS, Anthropic or OpenAI key found, from this estate snapshot (docs/snapshot.md)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l threads -r
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l follow-symlinks -d 'Follow symbolic links (loops are reported and skipped)'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l git -d 'Scan the git history of each PATH (a repository: work tree top level, .git or bare) instead of its files'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l history -d 'Like --git for each PATH that is a repository; any other PATH is scanned as files'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l staged -d 'Scan only what is staged in the index of the repository at PATH (pre-commit): staged content, not the work tree'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -l no-prefilter
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -a "rules" -d 'List the secret rules: id, provider, severity, lifetime and what each finds.'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and not __fish_seen_subcommand_from rules help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -l rules -d 'Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from rules" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from help" -f -a "rules" -d 'List the secret rules: id, provider, severity, lifetime and what each finds.'
complete -c agentid -n "__fish_agentid_using_subcommand scan-secrets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "init" -d 'Create an issuer\'s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "status" -d 'Each key\'s kid, algorithm, state, age and times, and the next due action with its date.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "plan" -d 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "run" -d 'Perform the transitions that are due, and only those: idempotent and safe from cron.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "emergency" -d 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "jwks" -d 'Print the JWKS as published (the file relying parties fetch).'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "log" -d 'The issuer\'s journal: every transition with time, actor, host, command, reason, kid and from → to.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and not __fish_seen_subcommand_from init status plan run emergency jwks log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -l issuer -d 'Issuer name from the registry\'s `issuers:` [default: the only one declared]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -l now -d 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -l issuer -d 'Issuer name [default: every issuer in the registry]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -l now -d 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l issuer -d 'Issuer name [default: every issuer in the registry]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l horizon -d 'How far ahead the timeline looks [default: 2 × rotation_period + max_token_lifetime + clock_skew]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l revoke -d 'Preview `emergency --revoke KID`: what it would invalidate, and until when caches trust it' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l tokens -d 'Files of tokens (one per line; `-` reads stdin) to hold against the plan: which a change would invalidate' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l now -d 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -l rotate-now -d 'Preview `run --rotate-now`'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -l issuer -d 'Issuer name [default: every issuer in the registry]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -l check-published -d 'Before activating a key, fetch the JWKS from URL and refuse to activate a key that is not there yet' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -l now -d 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -l rotate-now -d 'Start a rotation now rather than at rotation_period (still never before jwks_cache_ttl)'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l issuer -d 'Issuer name from the registry\'s `issuers:` [default: the only one declared]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l revoke -d 'The kid of the compromised key' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l reason -d 'Why, in words (journaled)' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l now -d 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -l yes -d 'Do not ask for confirmation'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from emergency" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -l issuer -d 'Issuer name from the registry\'s `issuers:` [default: the only one declared]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from jwks" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -l issuer -d 'Issuer name from the registry\'s `issuers:` [default: the only one declared]' -r
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from log" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create an issuer\'s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "status" -d 'Each key\'s kid, algorithm, state, age and times, and the next due action with its date.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "plan" -d 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "run" -d 'Perform the transitions that are due, and only those: idempotent and safe from cron.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "emergency" -d 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "jwks" -d 'Print the JWKS as published (the file relying parties fetch).'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "log" -d 'The issuer\'s journal: every transition with time, actor, host, command, reason, kid and from → to.'
complete -c agentid -n "__fish_agentid_using_subcommand rotate-keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -f -a "oauth" -d 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -f -a "aws" -d 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -f -a "anthropic" -d 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -f -a "entra" -d 'Microsoft Entra ID: client credentials with a federated client assertion.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -f -a "gcp" -d 'Google Cloud workload identity federation: Google STS, then optionally impersonation.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and not __fish_seen_subcommand_from oauth aws anthropic entra gcp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l token-endpoint -d 'Token endpoint URL' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l issuer -d 'Authorization server issuer URL: its token endpoint is found by discovery' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l grant -d 'Grant type' -r -f -a "token-exchange\t'RFC 8693 token exchange'
jwt-bearer\t'RFC 7523 §2.1: the subject token is the assertion'"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l subject-token-type -d 'subject_token_type: a URN or jwt, access_token, id_token, refresh_token, saml1, saml2 [default: jwt for a JWT, else access_token]' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l actor-token -d 'Actor token file (`-` is stdin), for on-behalf-of' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l actor-token-env -d 'Environment variable holding the actor token' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l actor-token-type -d 'actor_token_type [default: jwt for a JWT, else access_token]' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l requested-token-type -d 'requested_token_type' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l audience -d 'Target audience (repeatable)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l resource -d 'Target resource URI, RFC 8707 (repeatable)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l scope -d 'Scope (repeatable; sent space-separated)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l client-id -d 'client_id' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l client-auth -d 'Client authentication method [default: from what is given]' -r -f -a "none\t''
client-secret-basic\t''
client-secret-post\t''
private-key-jwt\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l client-secret-file -d 'File holding the client secret' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l client-secret-env -d 'Environment variable holding the client secret' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l client-key -d 'Private key (PEM or JWK) that signs the private_key_jwt client assertion' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l assertion-audience -d 'aud of the client assertion [default: the token endpoint]' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l subject-token -d 'Subject token file; `-` reads stdin' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l subject-token-env -d 'Environment variable holding the subject token' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l from -d 'Get the subject token from the platform this runs on' -r -f -a "kubernetes\t'The projected service-account token (default path /var/run/secrets/kubernetes.io/serviceaccount/token)'
github-actions\t'ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, for --source-audience'
gcp-metadata\t'The metadata server\'s identity endpoint (GCE_METADATA_HOST), for --source-audience'
aws-web-identity\t'The file in AWS_WEB_IDENTITY_TOKEN_FILE'
azure\t'The file in AZURE_FEDERATED_TOKEN_FILE'
anthropic\t'The file in ANTHROPIC_IDENTITY_TOKEN_FILE'"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l source-audience -d 'Audience to ask github-actions or gcp-metadata for' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l source-file -d 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l source-endpoint -d 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l agent -d 'Check the token and the request against this registry agent\'s trust and may_request' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l dry-run -d 'Print the request that would be sent, secrets redacted, and send nothing'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l expect-denied -d 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l reveal -d 'Include the credential itself in -f json output'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -l enforce -d 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from oauth" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l role-arn -d 'Role to assume' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l session-name -d 'RoleSessionName [default: agentid-<unix time>]' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l duration -d 'DurationSeconds, 15m to 12h (and at most the role\'s maximum) [default: STS\'s, 1h]' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l policy -d 'Session policy file (JSON) that narrows the role\'s permissions' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l region -d 'Region whose STS endpoint is called' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l endpoint -d 'STS endpoint URL instead of https://sts.REGION.amazonaws.com' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l subject-token -d 'Subject token file; `-` reads stdin' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l subject-token-env -d 'Environment variable holding the subject token' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l from -d 'Get the subject token from the platform this runs on' -r -f -a "kubernetes\t'The projected service-account token (default path /var/run/secrets/kubernetes.io/serviceaccount/token)'
github-actions\t'ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, for --source-audience'
gcp-metadata\t'The metadata server\'s identity endpoint (GCE_METADATA_HOST), for --source-audience'
aws-web-identity\t'The file in AWS_WEB_IDENTITY_TOKEN_FILE'
azure\t'The file in AZURE_FEDERATED_TOKEN_FILE'
anthropic\t'The file in ANTHROPIC_IDENTITY_TOKEN_FILE'"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l source-audience -d 'Audience to ask github-actions or gcp-metadata for' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l source-file -d 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l source-endpoint -d 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l agent -d 'Check the token and the request against this registry agent\'s trust and may_request' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l dry-run -d 'Print the request that would be sent, secrets redacted, and send nothing'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l expect-denied -d 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l reveal -d 'Include the credential itself in -f json output'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -l enforce -d 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from aws" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l federation-rule-id -d 'Federation rule to evaluate (fdrl_…)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l organization-id -d 'Anthropic organization UUID' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l service-account-id -d 'Service account the token acts as (svac_…)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l workspace-id -d 'Workspace to scope the token to (wrkspc_…, or default)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l base-url -d 'API base URL' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l subject-token -d 'Subject token file; `-` reads stdin' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l subject-token-env -d 'Environment variable holding the subject token' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l from -d 'Get the subject token from the platform this runs on' -r -f -a "kubernetes\t'The projected service-account token (default path /var/run/secrets/kubernetes.io/serviceaccount/token)'
github-actions\t'ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, for --source-audience'
gcp-metadata\t'The metadata server\'s identity endpoint (GCE_METADATA_HOST), for --source-audience'
aws-web-identity\t'The file in AWS_WEB_IDENTITY_TOKEN_FILE'
azure\t'The file in AZURE_FEDERATED_TOKEN_FILE'
anthropic\t'The file in ANTHROPIC_IDENTITY_TOKEN_FILE'"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l source-audience -d 'Audience to ask github-actions or gcp-metadata for' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l source-file -d 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l source-endpoint -d 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l agent -d 'Check the token and the request against this registry agent\'s trust and may_request' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l dry-run -d 'Print the request that would be sent, secrets redacted, and send nothing'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l expect-denied -d 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l reveal -d 'Include the credential itself in -f json output'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -l enforce -d 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from anthropic" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l tenant -d 'Directory (tenant) ID or domain' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l client-id -d 'Application (client) ID of the app registration' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l scope -d 'RESOURCE/.default scope (repeatable)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l authority -d 'Authority host' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l subject-token -d 'Subject token file; `-` reads stdin' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l subject-token-env -d 'Environment variable holding the subject token' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l from -d 'Get the subject token from the platform this runs on' -r -f -a "kubernetes\t'The projected service-account token (default path /var/run/secrets/kubernetes.io/serviceaccount/token)'
github-actions\t'ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, for --source-audience'
gcp-metadata\t'The metadata server\'s identity endpoint (GCE_METADATA_HOST), for --source-audience'
aws-web-identity\t'The file in AWS_WEB_IDENTITY_TOKEN_FILE'
azure\t'The file in AZURE_FEDERATED_TOKEN_FILE'
anthropic\t'The file in ANTHROPIC_IDENTITY_TOKEN_FILE'"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l source-audience -d 'Audience to ask github-actions or gcp-metadata for' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l source-file -d 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l source-endpoint -d 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l agent -d 'Check the token and the request against this registry agent\'s trust and may_request' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l dry-run -d 'Print the request that would be sent, secrets redacted, and send nothing'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l expect-denied -d 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l reveal -d 'Include the credential itself in -f json output'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -l enforce -d 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from entra" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l provider -d 'Workload identity provider: projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID (or the //iam.googleapis.com/… audience)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l service-account -d 'Impersonate this service account (email) after the STS exchange' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l scope -d 'OAuth scope (repeatable) [default: https://www.googleapis.com/auth/cloud-platform]' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l lifetime -d 'Lifetime of the impersonated token (e.g. 15m; at most 1h unless the org allows 12h)' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l credential-config -d 'An external_account credential configuration file (as gcloud writes it)' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l sts-endpoint -d 'Google STS token endpoint' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l iamcredentials-endpoint -d 'IAM Credentials API base URL' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l subject-token -d 'Subject token file; `-` reads stdin' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l subject-token-env -d 'Environment variable holding the subject token' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l from -d 'Get the subject token from the platform this runs on' -r -f -a "kubernetes\t'The projected service-account token (default path /var/run/secrets/kubernetes.io/serviceaccount/token)'
github-actions\t'ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, for --source-audience'
gcp-metadata\t'The metadata server\'s identity endpoint (GCE_METADATA_HOST), for --source-audience'
aws-web-identity\t'The file in AWS_WEB_IDENTITY_TOKEN_FILE'
azure\t'The file in AZURE_FEDERATED_TOKEN_FILE'
anthropic\t'The file in ANTHROPIC_IDENTITY_TOKEN_FILE'"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l source-audience -d 'Audience to ask github-actions or gcp-metadata for' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l source-file -d 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l source-endpoint -d 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l agent -d 'Check the token and the request against this registry agent\'s trust and may_request' -r
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l dry-run -d 'Print the request that would be sent, secrets redacted, and send nothing'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l expect-denied -d 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l reveal -d 'Include the credential itself in -f json output'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -l enforce -d 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from gcp" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "oauth" -d 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "aws" -d 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "anthropic" -d 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "entra" -d 'Microsoft Entra ID: client credentials with a federated client assertion.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "gcp" -d 'Google Cloud workload identity federation: Google STS, then optionally impersonation.'
complete -c agentid -n "__fish_agentid_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "completions" -d 'Shell completions, to stdout or -o'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "man" -d 'Man pages, one per command, into DIR'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from completions" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -l color -d 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -l config -d 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -s f -l format -d 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]' -r -f -a "table\t''
json\t''
yaml\t''
csv\t''
jsonl\t''
sarif\t''
raw\t''
env\t''
credential-process\t''
html\t''"
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -s o -l output -d 'Write the result to PATH (atomically) instead of stdout; `-` is stdout' -r -F
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -s q -l quiet -d 'Print only errors; no progress, no warnings'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -s h -l help -d 'Print help'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from man" -s V -l version -d 'Print version'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Shell completions, to stdout or -o'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "man" -d 'Man pages, one per command, into DIR'
complete -c agentid -n "__fish_agentid_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "inventory" -d 'List every agent identity from the registry and its sources, with findings.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "registry" -d 'Check, describe or create the agent registry (agentid.yaml)'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "token" -d 'Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "scan-secrets" -d 'Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "rotate-keys" -d 'Rotate an issuer\'s signing keys safely: on a schedule, early, or in an emergency.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "exchange" -d 'Trade a workload token for a short-lived credential, by hand.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "generate"
complete -c agentid -n "__fish_agentid_using_subcommand help; and not __fish_seen_subcommand_from inventory registry token scan-secrets rotate-keys exchange generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from inventory" -f -a "collect" -d 'Read the registry\'s sources and write the estate as a snapshot (JSON).'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from inventory" -f -a "diff" -d 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "validate" -d 'Check a registry and report every problem with file:line:column and field.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "schema" -d 'Print the registry\'s JSON Schema (also at docs/agentid.schema.json).'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "init" -d 'Write a commented starter registry; never overwrites a file'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "decode" -d 'Show what a JWT says. The signature is NOT verified.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "verify" -d 'Check that a JWT is genuine and fits its agent\'s contract.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "sign" -d 'Mint a signed JWT with a private key file, or with an issuer\'s active key.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from scan-secrets" -f -a "rules" -d 'List the secret rules: id, provider, severity, lifetime and what each finds.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "init" -d 'Create an issuer\'s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "status" -d 'Each key\'s kid, algorithm, state, age and times, and the next due action with its date.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "plan" -d 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "run" -d 'Perform the transitions that are due, and only those: idempotent and safe from cron.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "emergency" -d 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "jwks" -d 'Print the JWKS as published (the file relying parties fetch).'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from rotate-keys" -f -a "log" -d 'The issuer\'s journal: every transition with time, actor, host, command, reason, kid and from → to.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "oauth" -d 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "aws" -d 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "anthropic" -d 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "entra" -d 'Microsoft Entra ID: client credentials with a federated client assertion.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "gcp" -d 'Google Cloud workload identity federation: Google STS, then optionally impersonation.'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "completions" -d 'Shell completions, to stdout or -o'
complete -c agentid -n "__fish_agentid_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "man" -d 'Man pages, one per command, into DIR'
