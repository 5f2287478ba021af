using System.CommandLine;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// <c>kernelsmith completion bash|zsh</c>: a shell script whose completions come from the program itself, through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive (the commands, options and option values it would accept
/// there), so they never fall behind the commands. Options are offered once a word starts with <c>-</c>; elsewhere, when
/// the program suggests no command or value, the shell completes file names (a sweep spec, a results folder).
/// </summary>
internal static class CompletionCommand
{
    public const string Bash = """
        # bash completion for kernelsmith: eval "$(kernelsmith completion bash)" in ~/.bashrc, or save this as
        # ~/.local/share/bash-completion/completions/kernelsmith. Suggestions come from the program ([suggest] directive).
        _kernelsmith() {
            local line="${COMP_LINE:0:COMP_POINT}"
            [[ "$line" == *[[:space:]]* ]] || return 0
            local program="${line%%[[:space:]]*}" args="${line#*[[:space:]]}"
            args="${args#"${args%%[![:space:]]*}"}"
            local current="${args##*[[:space:]]}" suggestion
            COMPREPLY=()
            while IFS= read -r suggestion; do
                case "$suggestion" in
                    /\?|/h|-\?) ;;
                    -*) [[ "$current" == -* ]] && COMPREPLY+=("$suggestion") ;;
                    ?*) COMPREPLY+=("$suggestion") ;;
                esac
            done < <("${program/#\~/$HOME}" "[suggest:${#args}]" "$args" 2>/dev/null)
        }
        complete -o default -F _kernelsmith kernelsmith ./kernelsmith

        """;

    public const string Zsh = """
        #compdef kernelsmith
        # zsh completion for kernelsmith: eval "$(kernelsmith completion zsh)" in ~/.zshrc after compinit, or save this as
        # _kernelsmith in a folder of $fpath. Suggestions come from the program ([suggest] directive).
        _kernelsmith_suggestions() {
            local args="${(j: :)${(@)words[2,CURRENT]}}" current="${words[CURRENT]}" suggestion
            reply=()
            for suggestion in ${(f)"$(${~words[1]} "[suggest:${#args}]" "$args" 2>/dev/null)"}; do
                case "$suggestion" in
                    /\?|/h|-\?) ;;
                    -*) [[ "$current" == -* ]] && reply+=("$suggestion") ;;
                    *) reply+=("$suggestion") ;;
                esac
            done
        }
        _kernelsmith() {
            local -a reply
            _kernelsmith_suggestions
            if (( ${#reply} )); then compadd -a reply; else _files; fi
        }
        if [[ "${funcstack[1]}" == "_kernelsmith" ]]; then
            _kernelsmith "$@"
        elif (( $+functions[compdef] )); then
            compdef _kernelsmith kernelsmith ./kernelsmith
        else
            print -u2 "kernelsmith completion: load zsh's completion first (autoload -Uz compinit && compinit), then this"
        fi

        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: eval \"$(kernelsmith completion bash)\" (or zsh)") { shell };
        command.SetAction(parse =>
        {
            Console.Out.Write(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }
}
