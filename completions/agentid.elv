
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
            cand token 'Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens'
            cand scan-secrets 'Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.'
            cand rotate-keys 'Rotate an issuer''s signing keys safely: on a schedule, early, or in an emergency.'
            cand exchange 'Trade a workload token for a short-lived credential, by hand.'
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
            cand --from 'Read the estate from this snapshot instead of the registry''s sources (repeatable)'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --allow-partial 'Report and exit by findings even when a source could not be read (default: exit 3)'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand collect 'Read the registry''s sources and write the estate as a snapshot (JSON).'
            cand diff 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;inventory;collect'= {
            cand --source 'Read only this source (repeatable): a registry source name'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --allow-partial 'Write what could be read even when a source failed (default: exit 3, write nothing)'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;inventory;diff'= {
            cand --as-of 'Evaluate a snapshot that records no collection time as of this time [default: now]'
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
        &'agentid;inventory;help'= {
            cand collect 'Read the registry''s sources and write the estate as a snapshot (JSON).'
            cand diff 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;inventory;help;collect'= {
        }
        &'agentid;inventory;help;diff'= {
        }
        &'agentid;inventory;help;help'= {
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
            cand verify 'Check that a JWT is genuine and fits its agent''s contract.'
            cand sign 'Mint a signed JWT with a private key file, or with an issuer''s active key.'
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
        &'agentid;token;verify'= {
            cand --env 'Read the token from this environment variable (give its name, not its value)'
            cand --batch 'Verify many tokens: one per line of FILE (`-` = stdin); one JSON result per line, in order'
            cand --jwks 'Trust the keys in this JWKS file or URL'
            cand --key 'Trust this public key file: PEM (public key or certificate), JWK or JWKS'
            cand --issuer 'The expected issuer (`iss`); without --jwks/--key its keys are found by discovery'
            cand --audience '`aud` must contain this (repeatable: any one of them) [default: what the agent''s registry entry allows]'
            cand --require-claim 'The token must carry this claim, with this value if given (repeatable)'
            cand --typ 'The `typ` header must be this (e.g. at+jwt for RFC 9068 access tokens)'
            cand --clock-skew 'Tolerated clock difference [default: the agent''s thresholds.clock_skew, else defaults.clock_skew, else 60s]'
            cand --agent 'Check the token against this registry agent''s contract'
            cand --as-of 'Judge times as of this time (RFC 3339, or a date meaning midnight UTC) [default: now]'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --offline 'Use cached JWKS only; never touch the network'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;token;sign'= {
            cand --key 'Private key file: PEM or JWK'
            cand --issuer 'Sign with the active key of this registry issuer (see rotate-keys): sets iss, and the lifetime may not exceed the issuer''s max_token_lifetime'
            cand --claims 'JSON object of claims; `-` reads stdin'
            cand --lifetime 'Set exp = now + DURATION (e.g. 15m) [default: the claims'' exp, else 15m]'
            cand --audience 'Set aud (repeatable: several make an array)'
            cand --subject 'Set sub'
            cand --kid 'Header kid [default: the key''s kid or RFC 7638 thumbprint]'
            cand --alg 'Signature algorithm [default: the key''s: ES256, ES384, RS256 or EdDSA]'
            cand --typ 'Header typ [default: JWT] (at+jwt for RFC 9068 access tokens)'
            cand --as-of 'Count iat/nbf/exp from this time (RFC 3339) [default: now]'
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
            cand verify 'Check that a JWT is genuine and fits its agent''s contract.'
            cand sign 'Mint a signed JWT with a private key file, or with an issuer''s active key.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;token;help;decode'= {
        }
        &'agentid;token;help;verify'= {
        }
        &'agentid;token;help;sign'= {
        }
        &'agentid;token;help;help'= {
        }
        &'agentid;scan-secrets'= {
            cand --rules 'Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md)'
            cand --include 'Scan only files matching GLOB (.gitignore syntax; repeatable)'
            cand --exclude 'Skip files and directories matching GLOB (.gitignore syntax; repeatable)'
            cand --max-file-size 'Skip files larger than SIZE (bytes, or with KB/MB/GB/KiB/MiB/GiB)'
            cand --shard 'Scan only shard I of N (1-based): files split by a hash of their path, one shard per CI job'
            cand --baseline 'Suppress the secrets recorded in FILE (matched by rule and fingerprint; see --write-baseline)'
            cand --write-baseline 'Record this run''s secrets in FILE, a baseline for --baseline (written atomically; no secret in it)'
            cand --fail-on 'Exit 1 when a finding that is not suppressed is at or above this severity'
            cand --since-commit 'With --git/--history: only commits not reachable from REV (git''s `REV..`)'
            cand --branch 'With --git/--history: only history reachable from REF (a branch, tag, HEAD or full ref; repeatable) instead of every ref'
            cand --estate 'Name the credential, identity, agent and owner of each AWS, Anthropic or OpenAI key found, from this estate snapshot (docs/snapshot.md)'
            cand --threads 'threads'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --follow-symlinks 'Follow symbolic links (loops are reported and skipped)'
            cand --git 'Scan the git history of each PATH (a repository: work tree top level, .git or bare) instead of its files'
            cand --history 'Like --git for each PATH that is a repository; any other PATH is scanned as files'
            cand --staged 'Scan only what is staged in the index of the repository at PATH (pre-commit): staged content, not the work tree'
            cand --no-prefilter 'no-prefilter'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand rules 'List the secret rules: id, provider, severity, lifetime and what each finds.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;scan-secrets;rules'= {
            cand --rules 'Add rules from FILE, or override built-in ones by id (same format as the catalogue; docs/rules.md)'
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
        &'agentid;scan-secrets;help'= {
            cand rules 'List the secret rules: id, provider, severity, lifetime and what each finds.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;scan-secrets;help;rules'= {
        }
        &'agentid;scan-secrets;help;help'= {
        }
        &'agentid;rotate-keys'= {
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
            cand init 'Create an issuer''s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.'
            cand status 'Each key''s kid, algorithm, state, age and times, and the next due action with its date.'
            cand plan 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.'
            cand run 'Perform the transitions that are due, and only those: idempotent and safe from cron.'
            cand emergency 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.'
            cand jwks 'Print the JWKS as published (the file relying parties fetch).'
            cand log 'The issuer''s journal: every transition with time, actor, host, command, reason, kid and from → to.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;rotate-keys;init'= {
            cand --issuer 'Issuer name from the registry''s `issuers:` [default: the only one declared]'
            cand --now 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory'
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
        &'agentid;rotate-keys;status'= {
            cand --issuer 'Issuer name [default: every issuer in the registry]'
            cand --now 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory'
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
        &'agentid;rotate-keys;plan'= {
            cand --issuer 'Issuer name [default: every issuer in the registry]'
            cand --horizon 'How far ahead the timeline looks [default: 2 × rotation_period + max_token_lifetime + clock_skew]'
            cand --revoke 'Preview `emergency --revoke KID`: what it would invalidate, and until when caches trust it'
            cand --tokens 'Files of tokens (one per line; `-` reads stdin) to hold against the plan: which a change would invalidate'
            cand --now 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --rotate-now 'Preview `run --rotate-now`'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;rotate-keys;run'= {
            cand --issuer 'Issuer name [default: every issuer in the registry]'
            cand --check-published 'Before activating a key, fetch the JWKS from URL and refuse to activate a key that is not there yet'
            cand --now 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --rotate-now 'Start a rotation now rather than at rotation_period (still never before jwks_cache_ttl)'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;rotate-keys;emergency'= {
            cand --issuer 'Issuer name from the registry''s `issuers:` [default: the only one declared]'
            cand --revoke 'The kid of the compromised key'
            cand --reason 'Why, in words (journaled)'
            cand --now 'Act as if it were TIME (RFC 3339), for tests and drills [default: now]. Time never runs backwards for an issuer: rehearse on a copy of the key directory'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;rotate-keys;jwks'= {
            cand --issuer 'Issuer name from the registry''s `issuers:` [default: the only one declared]'
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
        &'agentid;rotate-keys;log'= {
            cand --issuer 'Issuer name from the registry''s `issuers:` [default: the only one declared]'
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
        &'agentid;rotate-keys;help'= {
            cand init 'Create an issuer''s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.'
            cand status 'Each key''s kid, algorithm, state, age and times, and the next due action with its date.'
            cand plan 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.'
            cand run 'Perform the transitions that are due, and only those: idempotent and safe from cron.'
            cand emergency 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.'
            cand jwks 'Print the JWKS as published (the file relying parties fetch).'
            cand log 'The issuer''s journal: every transition with time, actor, host, command, reason, kid and from → to.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;rotate-keys;help;init'= {
        }
        &'agentid;rotate-keys;help;status'= {
        }
        &'agentid;rotate-keys;help;plan'= {
        }
        &'agentid;rotate-keys;help;run'= {
        }
        &'agentid;rotate-keys;help;emergency'= {
        }
        &'agentid;rotate-keys;help;jwks'= {
        }
        &'agentid;rotate-keys;help;log'= {
        }
        &'agentid;rotate-keys;help;help'= {
        }
        &'agentid;exchange'= {
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
            cand oauth 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).'
            cand aws 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.'
            cand anthropic 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.'
            cand entra 'Microsoft Entra ID: client credentials with a federated client assertion.'
            cand gcp 'Google Cloud workload identity federation: Google STS, then optionally impersonation.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;exchange;oauth'= {
            cand --token-endpoint 'Token endpoint URL'
            cand --issuer 'Authorization server issuer URL: its token endpoint is found by discovery'
            cand --grant 'Grant type'
            cand --subject-token-type 'subject_token_type: a URN or jwt, access_token, id_token, refresh_token, saml1, saml2 [default: jwt for a JWT, else access_token]'
            cand --actor-token 'Actor token file (`-` is stdin), for on-behalf-of'
            cand --actor-token-env 'Environment variable holding the actor token'
            cand --actor-token-type 'actor_token_type [default: jwt for a JWT, else access_token]'
            cand --requested-token-type 'requested_token_type'
            cand --audience 'Target audience (repeatable)'
            cand --resource 'Target resource URI, RFC 8707 (repeatable)'
            cand --scope 'Scope (repeatable; sent space-separated)'
            cand --client-id 'client_id'
            cand --client-auth 'Client authentication method [default: from what is given]'
            cand --client-secret-file 'File holding the client secret'
            cand --client-secret-env 'Environment variable holding the client secret'
            cand --client-key 'Private key (PEM or JWK) that signs the private_key_jwt client assertion'
            cand --assertion-audience 'aud of the client assertion [default: the token endpoint]'
            cand --subject-token 'Subject token file; `-` reads stdin'
            cand --subject-token-env 'Environment variable holding the subject token'
            cand --from 'Get the subject token from the platform this runs on'
            cand --source-audience 'Audience to ask github-actions or gcp-metadata for'
            cand --source-file 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place'
            cand --source-endpoint 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place'
            cand --agent 'Check the token and the request against this registry agent''s trust and may_request'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --dry-run 'Print the request that would be sent, secrets redacted, and send nothing'
            cand --expect-denied 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
            cand --reveal 'Include the credential itself in -f json output'
            cand --enforce 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;exchange;aws'= {
            cand --role-arn 'Role to assume'
            cand --session-name 'RoleSessionName [default: agentid-<unix time>]'
            cand --duration 'DurationSeconds, 15m to 12h (and at most the role''s maximum) [default: STS''s, 1h]'
            cand --policy 'Session policy file (JSON) that narrows the role''s permissions'
            cand --region 'Region whose STS endpoint is called'
            cand --endpoint 'STS endpoint URL instead of https://sts.REGION.amazonaws.com'
            cand --subject-token 'Subject token file; `-` reads stdin'
            cand --subject-token-env 'Environment variable holding the subject token'
            cand --from 'Get the subject token from the platform this runs on'
            cand --source-audience 'Audience to ask github-actions or gcp-metadata for'
            cand --source-file 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place'
            cand --source-endpoint 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place'
            cand --agent 'Check the token and the request against this registry agent''s trust and may_request'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --dry-run 'Print the request that would be sent, secrets redacted, and send nothing'
            cand --expect-denied 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
            cand --reveal 'Include the credential itself in -f json output'
            cand --enforce 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;exchange;anthropic'= {
            cand --federation-rule-id 'Federation rule to evaluate (fdrl_…)'
            cand --organization-id 'Anthropic organization UUID'
            cand --service-account-id 'Service account the token acts as (svac_…)'
            cand --workspace-id 'Workspace to scope the token to (wrkspc_…, or default)'
            cand --base-url 'API base URL'
            cand --subject-token 'Subject token file; `-` reads stdin'
            cand --subject-token-env 'Environment variable holding the subject token'
            cand --from 'Get the subject token from the platform this runs on'
            cand --source-audience 'Audience to ask github-actions or gcp-metadata for'
            cand --source-file 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place'
            cand --source-endpoint 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place'
            cand --agent 'Check the token and the request against this registry agent''s trust and may_request'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --dry-run 'Print the request that would be sent, secrets redacted, and send nothing'
            cand --expect-denied 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
            cand --reveal 'Include the credential itself in -f json output'
            cand --enforce 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;exchange;entra'= {
            cand --tenant 'Directory (tenant) ID or domain'
            cand --client-id 'Application (client) ID of the app registration'
            cand --scope 'RESOURCE/.default scope (repeatable)'
            cand --authority 'Authority host'
            cand --subject-token 'Subject token file; `-` reads stdin'
            cand --subject-token-env 'Environment variable holding the subject token'
            cand --from 'Get the subject token from the platform this runs on'
            cand --source-audience 'Audience to ask github-actions or gcp-metadata for'
            cand --source-file 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place'
            cand --source-endpoint 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place'
            cand --agent 'Check the token and the request against this registry agent''s trust and may_request'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --dry-run 'Print the request that would be sent, secrets redacted, and send nothing'
            cand --expect-denied 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
            cand --reveal 'Include the credential itself in -f json output'
            cand --enforce 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;exchange;gcp'= {
            cand --provider 'Workload identity provider: projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID (or the //iam.googleapis.com/… audience)'
            cand --service-account 'Impersonate this service account (email) after the STS exchange'
            cand --scope 'OAuth scope (repeatable) [default: https://www.googleapis.com/auth/cloud-platform]'
            cand --lifetime 'Lifetime of the impersonated token (e.g. 15m; at most 1h unless the org allows 12h)'
            cand --credential-config 'An external_account credential configuration file (as gcloud writes it)'
            cand --sts-endpoint 'Google STS token endpoint'
            cand --iamcredentials-endpoint 'IAM Credentials API base URL'
            cand --subject-token 'Subject token file; `-` reads stdin'
            cand --subject-token-env 'Environment variable holding the subject token'
            cand --from 'Get the subject token from the platform this runs on'
            cand --source-audience 'Audience to ask github-actions or gcp-metadata for'
            cand --source-file 'Token file for kubernetes, aws-web-identity, azure or anthropic, instead of its usual place'
            cand --source-endpoint 'Endpoint for github-actions (request URL) or gcp-metadata (base URL), instead of its usual place'
            cand --agent 'Check the token and the request against this registry agent''s trust and may_request'
            cand --color 'When to use colour. NO_COLOR and TERM=dumb turn `auto` off'
            cand --config 'Registry file (agentid.yaml). Default: ./agentid.yaml, then $XDG_CONFIG_HOME/agentid/agentid.yaml'
            cand -f 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand --format 'Output format [default: table; AGENTID_FORMAT sets it for every command that has it]'
            cand -o 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --output 'Write the result to PATH (atomically) instead of stdout; `-` is stdout'
            cand --dry-run 'Print the request that would be sent, secrets redacted, and send nothing'
            cand --expect-denied 'Succeed only if the server refuses (exit 0); a grant exits 1. For CI boundary tests'
            cand --reveal 'Include the credential itself in -f json output'
            cand --enforce 'Send nothing (exit 1) when a preflight check fails; agent checks fail instead of warning'
            cand -q 'Print only errors; no progress, no warnings'
            cand --quiet 'Print only errors; no progress, no warnings'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentid;exchange;help'= {
            cand oauth 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).'
            cand aws 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.'
            cand anthropic 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.'
            cand entra 'Microsoft Entra ID: client credentials with a federated client assertion.'
            cand gcp 'Google Cloud workload identity federation: Google STS, then optionally impersonation.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;exchange;help;oauth'= {
        }
        &'agentid;exchange;help;aws'= {
        }
        &'agentid;exchange;help;anthropic'= {
        }
        &'agentid;exchange;help;entra'= {
        }
        &'agentid;exchange;help;gcp'= {
        }
        &'agentid;exchange;help;help'= {
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
            cand token 'Work with JWTs: decode what a token says, verify that it is genuine, sign test tokens'
            cand scan-secrets 'Find secrets (API keys, tokens, private keys) in files, directories, stdin or git history.'
            cand rotate-keys 'Rotate an issuer''s signing keys safely: on a schedule, early, or in an emergency.'
            cand exchange 'Trade a workload token for a short-lived credential, by hand.'
            cand generate 'generate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentid;help;inventory'= {
            cand collect 'Read the registry''s sources and write the estate as a snapshot (JSON).'
            cand diff 'Compare two snapshots: new shadow identities, keys created and deleted, owners gone, findings opened and closed.'
        }
        &'agentid;help;inventory;collect'= {
        }
        &'agentid;help;inventory;diff'= {
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
            cand verify 'Check that a JWT is genuine and fits its agent''s contract.'
            cand sign 'Mint a signed JWT with a private key file, or with an issuer''s active key.'
        }
        &'agentid;help;token;decode'= {
        }
        &'agentid;help;token;verify'= {
        }
        &'agentid;help;token;sign'= {
        }
        &'agentid;help;scan-secrets'= {
            cand rules 'List the secret rules: id, provider, severity, lifetime and what each finds.'
        }
        &'agentid;help;scan-secrets;rules'= {
        }
        &'agentid;help;rotate-keys'= {
            cand init 'Create an issuer''s keystore: the first key, active at once (nothing trusts the issuer yet), and a pending successor.'
            cand status 'Each key''s kid, algorithm, state, age and times, and the next due action with its date.'
            cand plan 'What `run` would do now and why, the timeline after it, and which tokens a change would invalidate.'
            cand run 'Perform the transitions that are due, and only those: idempotent and safe from cron.'
            cand emergency 'Revoke a compromised key now: out of the JWKS at once, another key signs, impact explained.'
            cand jwks 'Print the JWKS as published (the file relying parties fetch).'
            cand log 'The issuer''s journal: every transition with time, actor, host, command, reason, kid and from → to.'
        }
        &'agentid;help;rotate-keys;init'= {
        }
        &'agentid;help;rotate-keys;status'= {
        }
        &'agentid;help;rotate-keys;plan'= {
        }
        &'agentid;help;rotate-keys;run'= {
        }
        &'agentid;help;rotate-keys;emergency'= {
        }
        &'agentid;help;rotate-keys;jwks'= {
        }
        &'agentid;help;rotate-keys;log'= {
        }
        &'agentid;help;exchange'= {
            cand oauth 'OAuth 2.0 token exchange (RFC 8693) or JWT-bearer grant (RFC 7523).'
            cand aws 'AWS STS AssumeRoleWithWebIdentity: temporary credentials for a role.'
            cand anthropic 'Anthropic workload identity federation: an identity token for a short-lived Claude API token.'
            cand entra 'Microsoft Entra ID: client credentials with a federated client assertion.'
            cand gcp 'Google Cloud workload identity federation: Google STS, then optionally impersonation.'
        }
        &'agentid;help;exchange;oauth'= {
        }
        &'agentid;help;exchange;aws'= {
        }
        &'agentid;help;exchange;anthropic'= {
        }
        &'agentid;help;exchange;entra'= {
        }
        &'agentid;help;exchange;gcp'= {
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
