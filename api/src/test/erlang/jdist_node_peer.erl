%% A distributed Erlang node that jdist's node interop tests drive over a control channel of their
%% own, independent of distribution.
%%
%% Started by io.jdist.testing.ErlangNode as
%%
%%     erl -sname Name -setcookie Cookie -noshell -noinput -start_epmd false
%%         -kernel net_ticktime T -pa Dir -s jdist_node_peer start
%%
%% it talks to the JVM over its stdin and stdout as an Erlang port with 4-byte length-prefixed
%% packets: each request is one packet holding an ETF term and gets exactly one packet back,
%% term_to_binary({ok, Value}) or term_to_binary({error, Text}). Stdout carries nothing but packets;
%% log events go to stderr, which the JVM collects for failure messages. At end of input the node
%% halts.
%%
%% Requests:
%%
%%   {eval, ExprText, TimeoutMs}
%%       evaluates ExprText (Erlang expressions ending in a dot) in a new process and answers its
%%       value; a request still running after TimeoutMs is killed and answered with an error, so
%%       that a hung expression fails the test instead of hanging it.
%%
%% Expressions may call the helpers exported below, which start long-lived processes.
-module(jdist_node_peer).

-export([start/0, forwarder/2, check_sequence/3, send_sequence/2]).

start() ->
    log_to_stderr(),
    spawn(fun serve/0),
    ok.

%% Log events would otherwise be written to stdout among the packets.
log_to_stderr() ->
    _ = logger:remove_handler(default),
    ok = logger:add_handler(default, logger_std_h, #{config => #{type => standard_error}}).

serve() ->
    Port = open_port({fd, 0, 1}, [binary, {packet, 4}, eof]),
    loop(Port).

loop(Port) ->
    receive
        {Port, {data, Packet}} ->
            Reply = try handle(binary_to_term(Packet))
                    catch Class:Reason:Stack -> error_reply(Class, Reason, Stack)
                    end,
            true = port_command(Port, term_to_binary(Reply)),
            loop(Port);
        {Port, eof} ->
            erlang:halt(0);
        Other ->
            io:format(standard_error, "jdist_node_peer ignores ~p~n", [Other]),
            loop(Port)
    end.

handle({eval, Expr, TimeoutMs}) ->
    Self = self(),
    {Pid, Monitor} = spawn_monitor(
                       fun() ->
                               Reply = try {ok, eval(Expr)}
                                       catch Class:Reason:Stack -> error_reply(Class, Reason, Stack)
                                       end,
                               Self ! {self(), Reply}
                       end),
    receive
        {Pid, Reply} ->
            erlang:demonitor(Monitor, [flush]),
            Reply;
        {'DOWN', Monitor, process, Pid, Reason} ->
            {error, text("evaluation died: ~tP", [Reason, 40])}
    after TimeoutMs ->
            exit(Pid, kill),
            erlang:demonitor(Monitor, [flush]),
            {error, text("evaluation of ~ts took more than ~b ms; killed it", [Expr, TimeoutMs])}
    end.

eval(Expr) ->
    {ok, Tokens, _} = erl_scan:string(unicode:characters_to_list(Expr)),
    {ok, Exprs} = erl_parse:parse_exprs(Tokens),
    {value, Value, _} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
    Value.

error_reply(Class, Reason, Stack) ->
    Text = text("~p:~tP~n~tP", [Class, Reason, 40, Stack, 40]),
    io:format(standard_error, "jdist_node_peer request failed: ~ts~n", [Text]),
    {error, Text}.

text(Format, Args) ->
    unicode:characters_to_binary(io_lib:format(Format, Args)).

%% Registers a process as Name that sends {forwarded, Msg} to To for every Msg it receives.
forwarder(Name, To) ->
    Pid = spawn(fun() -> forward(To) end),
    true = register(Name, Pid),
    Pid.

forward(To) ->
    receive
        Msg ->
            To ! {forwarded, Msg},
            forward(To)
    end.

%% Registers a process as Name that expects {seq, 0} .. {seq, N - 1} in this order, then sends
%% {sequence_checked, Name, Result} to ReplyTo: Result is {ok, N}, {out_of_order, Expected, Got},
%% or {timeout, Expected} when nothing comes for 30 s.
check_sequence(Name, N, ReplyTo) ->
    Pid = spawn(fun() -> ReplyTo ! {sequence_checked, Name, expect(0, N)} end),
    true = register(Name, Pid),
    Pid.

expect(N, N) ->
    {ok, N};
expect(I, N) ->
    receive
        {seq, I} -> expect(I + 1, N);
        Other -> {out_of_order, I, Other}
    after 30000 ->
            {timeout, I}
    end.

%% Sends {seq, 0} .. {seq, N - 1} to To, in order.
send_sequence(To, N) ->
    lists:foreach(fun(I) -> To ! {seq, I} end, lists:seq(0, N - 1)),
    ok.
