# A distributed Elixir node that jdist's interop tests drive step by step, as a person drives an
# iex session. Started by io.jdist.testing.ElixirNode as
#
#     elixir --sname Name --cookie Cookie --erl "-start_epmd false -noinput ..." jdist_elixir_peer.exs
#
# it talks to the JVM over its stdin and stdout as an Erlang port with 4-byte length-prefixed
# packets, a control channel that does not depend on distribution working. Each request is one
# packet holding an ETF term and gets exactly one packet back:
#
#   {eval, Code, TimeoutMs}
#       evaluates the Elixir code in the node's shell process and answers {ok, {Value, Output}},
#       or {error, Text} when it raises, exits or takes longer than TimeoutMs.
#
# The shell is one long-lived process, as iex's evaluator is: self(), its registered name, its
# mailbox, its variables, imports and aliases carry over from one step to the next, and
# IEx.Helpers is imported, so `Process.register(self(), :my_iex)` in one step and `flush()` in a
# later one behave as in iex. Its group leader is an in-memory device: what the step prints (and
# what processes it started print later) comes back as Output with the next answer. Stdout carries
# nothing but packets; log events go to stderr, which the JVM collects for failure messages. If a
# step kills the shell or runs too long, a new shell replaces it (its variables are lost, as when
# iex restarts its evaluator). At end of input the node halts.
defmodule JdistElixirPeer do
  @moduledoc false

  def main do
    log_to_stderr()
    {:ok, device} = StringIO.open("")
    port = Port.open({:fd, 0, 1}, [:binary, {:packet, 4}, :eof])
    serve(port, device, start_shell(device))
  end

  # Logs go to stdout by default: through Logger's console backend up to Elixir 1.14, through
  # Erlang's default handler from 1.15 on.
  defp log_to_stderr do
    if Version.match?(System.version(), "< 1.15.0") do
      Logger.configure_backend(:console, device: :standard_error)
    end

    for %{id: id, module: :logger_std_h, config: %{type: :standard_io}} = handler <- :logger.get_handler_config() do
      :ok = :logger.remove_handler(id)
      config = Map.take(handler, [:level, :filters, :filter_default, :formatter])
      :ok = :logger.add_handler(id, :logger_std_h, Map.put(config, :config, %{type: :standard_error}))
    end

    :ok
  end

  defp serve(port, device, shell) do
    receive do
      {^port, {:data, packet}} ->
        {reply, shell} = handle(:erlang.binary_to_term(packet), device, shell)
        true = Port.command(port, :erlang.term_to_binary(reply))
        serve(port, device, shell)

      {^port, :eof} ->
        System.halt(0)

      {:DOWN, _ref, :process, _pid, reason} ->
        # The shell died between steps, say by a link to a process that crashed.
        IO.puts(:stderr, "jdist_elixir_peer: the shell died (#{inspect(reason)}); starting another")
        serve(port, device, start_shell(device))
    end
  end

  defp handle({:eval, code, timeout_ms}, device, {pid, ref} = shell) do
    send(pid, {:eval, self(), code})

    receive do
      {^pid, {:ok, value}} ->
        {{:ok, {value, take_output(device)}}, shell}

      {^pid, {:error, text}} ->
        {{:error, text <> output_note(device)}, shell}

      {:DOWN, ^ref, :process, ^pid, reason} ->
        text = "the shell died evaluating #{code}: #{inspect(reason)}" <> output_note(device)
        {{:error, text}, start_shell(device)}
    after
      timeout_ms ->
        Process.demonitor(ref, [:flush])
        Process.exit(pid, :kill)
        text = "evaluating #{code} took more than #{timeout_ms} ms; killed the shell" <> output_note(device)
        {{:error, text}, start_shell(device)}
    end
  end

  defp take_output(device), do: StringIO.flush(device)

  defp output_note(device) do
    case take_output(device) do
      "" -> ""
      output -> "\n--- the step printed ---\n" <> output
    end
  end

  defp start_shell(device) do
    spawn_monitor(fn ->
      Process.group_leader(self(), device)
      {:ok, quoted} = Code.string_to_quoted("import IEx.Helpers, warn: false")
      {_, binding, env} = Code.eval_quoted_with_env(quoted, [], Code.env_for_eval(file: "iex"))
      shell_loop(binding, env)
    end)
  end

  defp shell_loop(binding, env) do
    receive do
      {:eval, from, code} ->
        {reply, binding, env} = evaluate(code, binding, env)
        send(from, {self(), reply})
        shell_loop(binding, env)
    end
  end

  defp evaluate(code, binding, env) do
    quoted = Code.string_to_quoted!(code, file: "iex")
    {value, binding, env} = Code.eval_quoted_with_env(quoted, binding, env)
    {{:ok, value}, binding, env}
  rescue
    e -> {{:error, Exception.format(:error, e, __STACKTRACE__)}, binding, env}
  catch
    kind, reason -> {{:error, Exception.format(kind, reason, __STACKTRACE__)}, binding, env}
  end
end

JdistElixirPeer.main()
