
use builtin;
use str;

set edit:completion:arg-completer[agentid] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'agentid'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'agentid'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand inventory 'List every agent identity from the registry and its sources, with findings.'
            cand registry 'Check, describe or create the agent registry (agentid.yaml)'
            cand token 'Work with JWTs: `decode` shows what a token says'
            cand generate 'generate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;inventory'= {
            cand --as-of 'Evaluate as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: registry''s defaults.fail_on, else high]'
            cand --only 'Evaluate only these rules (repeat or comma-separate, e.g. AID010,AID011)'
            cand --skip 'Skip these rules (repeat or comma-separate)'
            cand --agent 'Report only this agent (a registry name, or a shadow identity''s name or id)'
            cand --source 'Read only this source (repeatable): a registry source name or an estate source name'
            cand --snapshot 'Also read this estate snapshot (repeatable); works without a registry'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;registry'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Check a registry and report every problem with file:line:column and field.'
            cand schema 'Print the registry''s JSON Schema (also at docs/agentid.schema.json).'
            cand init 'Write a commented starter registry; never overwrites a file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;registry;validate'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;registry;schema'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;registry;init'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;registry;help'= {
            cand validate 'Check a registry and report every problem with file:line:column and field.'
            cand schema 'Print the registry''s JSON Schema (also at docs/agentid.schema.json).'
            cand init 'Write a commented starter registry; never overwrites a file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;registry;help;validate'= {
        }
        &'agentid;registry;help;schema'= {
        }
        &'agentid;registry;help;init'= {
        }
        &'agentid;registry;help;help'= {
        }
        &'agentid;token'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand decode 'Show what a JWT says. The signature is NOT verified.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;token;decode'= {
            cand --env 'Read the token from this environment variable (give its name, not its value)'
            cand --max-lifetime 'Longest acceptable lifetime (exp - iat) [default: registry''s defaults.max_token_lifetime, else 1h]'
            cand --as-of 'Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;token;help'= {
            cand decode 'Show what a JWT says. The signature is NOT verified.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;token;help;decode'= {
        }
        &'agentid;token;help;help'= {
        }
        &'agentid;generate'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand completions 'Shell completions, to stdout or -o'
            cand man 'Man pages, one per command, into DIR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;generate;completions'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;generate;man'= {
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;generate;help'= {
            cand completions 'Shell completions, to stdout or -o'
            cand man 'Man pages, one per command, into DIR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;generate;help;completions'= {
        }
        &'agentid;generate;help;man'= {
        }
        &'agentid;generate;help;help'= {
        }
        &'agentid;help'= {
            cand inventory 'List every agent identity from the registry and its sources, with findings.'
            cand registry 'Check, describe or create the agent registry (agentid.yaml)'
            cand token 'Work with JWTs: `decode` shows what a token says'
            cand generate 'generate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;help;inventory'= {
        }
        &'agentid;help;registry'= {
            cand validate 'Check a registry and report every problem with file:line:column and field.'
            cand schema 'Print the registry''s JSON Schema (also at docs/agentid.schema.json).'
            cand init 'Write a commented starter registry; never overwrites a file'
        }
        &'agentid;help;registry;validate'= {
        }
        &'agentid;help;registry;schema'= {
        }
        &'agentid;help;registry;init'= {
        }
        &'agentid;help;token'= {
            cand decode 'Show what a JWT says. The signature is NOT verified.'
        }
        &'agentid;help;token;decode'= {
        }
        &'agentid;help;generate'= {
            cand completions 'Shell completions, to stdout or -o'
            cand man 'Man pages, one per command, into DIR'
        }
        &'agentid;help;generate;completions'= {
        }
        &'agentid;help;generate;man'= {
        }
        &'agentid;help;help'= {
        }
    ]
    $completions[$command]
}
