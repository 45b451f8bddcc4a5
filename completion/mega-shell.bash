# bash completion for the mega-<cmd> commands of mega-shell, modelled on MEGAcmd's megacmd_completion.sh: the
# candidates come from the background server (`mega-completion`, MEGAcmd's `mega-exec completion`), which reads
# its cache, so remote paths complete without a network round trip.
# Install: source this file from ~/.bashrc (after the mega-<cmd> commands are on the PATH), or copy it to
# /etc/bash_completion.d/, which bash-completion reads at start-up. It completes the mega-<cmd> commands found on
# the PATH when it is read (megacmd_completion.sh does the same with `compgen -ca mega-`).

_mega_shell_complete()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local words=() word i last=-1
	# The words up to the cursor, the command without its "mega-". bash splits `bob@mail:share` at ':' (and
	# `--flag=value` at '='): glue those back together, as megacmd_completion.sh does.
	for (( i = 0; i <= COMP_CWORD; i++ )); do
		word=${COMP_WORDS[i]}
		(( i == 0 )) && word=${word#mega-}
		if (( last >= 0 )) && [[ $word == [:=] || ${COMP_WORDS[i-1]} == [:=] ]]; then
			words[last]+=$word
		else
			words+=("$word")
			last=$(( ${#words[@]} - 1 ))
		fi
	done
	# What bash replaces is only the text after the last ':' or '=' of the word being completed.
	local glued=${words[last]} prefix=""
	[[ $cur == [:=] ]] && cur=""
	prefix=${glued:0:${#glued}-${#cur}}

	local candidates
	candidates=$(mega-completion -- "${words[@]}" 2>/dev/null) || return 0
	COMPREPLY=()
	local candidate nospace=""
	while IFS= read -r candidate; do
		[[ -z $candidate ]] && continue
		[[ $candidate == */ || $candidate == --*= ]] && nospace=1
		candidate=${candidate#"$prefix"}
		# Names with blanks or shell characters are escaped, unless the word was opened with a quote.
		if [[ $cur == [\"\']* ]]; then
			COMPREPLY+=("${cur:0:1}$candidate")
		else
			COMPREPLY+=("$(printf '%q' "$candidate")")
		fi
	done <<< "$candidates"
	[[ -n $nospace ]] && compopt -o nospace 2>/dev/null
	return 0
}

# Every mega-<cmd> command installed on the PATH.
for _mega_shell_command in $(compgen -c mega- | sort -u); do
	complete -o default -F _mega_shell_complete "$_mega_shell_command"
done
unset _mega_shell_command
