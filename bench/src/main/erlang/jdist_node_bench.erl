%% The Erlang side of io.jdist.bench.NodeBench: sinks, echoes, senders and pingers that the Java
%% harness starts on an erl node and drives with control messages over distribution.
%%
%% Started by NodeBench as
%%
%%     erl -name Name@127.0.0.1 -setcookie Cookie -noshell -noinput -start_epmd false
%%         -kernel inet_dist_use_interface {127,0,0,1} -pa Dir -s jdist_node_bench start
%%
%% it registers a server as jdist_node_bench and prints "jdist_node_bench ready". A request is
%%
%%     {call, From, Tag, Request}
%%
%% and is answered, from a process of its own, with {reply, Tag, {ok, Value}} or
%% {reply, Tag, {error, Text}}. Requests:
%%
%%   info                      -> {OtpRelease, ErtsVersion, Schedulers}
%%   connect(Node)             -> true once connected to Node
%%   sink                      -> the pid of a new sink
%%   echo                      -> the pid of a new echo
%%   {send, Sink, Kind, N}     -> nanoseconds taken to send N messages to Sink and have it ack
%%   {ping, Echo, N}           -> a list of N round-trip times to Echo, in nanoseconds
%%   {connects, Node, N}       -> a list of N times to set up a fresh connection to Node, in
%%                                nanoseconds; before each, the old one is dropped and both nodes
%%                                are given ?SETTLE_MS to see it go
%%
%% The message shapes are the same on the Java side (JavaEndpoint), so any sender works with any
%% sink and any pinger with any echo:
%%
%%   sender -> sink: {start, Sender, N}, then {seq, 0, Payload} .. {seq, N - 1, Payload}
%%   sink -> sender: {ack, Sink, ok} after the last, or {ack, Sink, {error, Why}}
%%   pinger -> echo: {ping, Pinger, I};  echo -> pinger: {pong, I}
%%
%% Kind small is a 16-byte binary payload, binary a 64 KiB one.
-module(jdist_node_bench).

-export([start/0]).

-define(ACK_TIMEOUT, 120000).
-define(GAP_TIMEOUT, 30000).
%% Endpoint.SETTLE on the Java side.
-define(SETTLE_MS, 50).

start() ->
    true = register(jdist_node_bench, spawn(fun server/0)),
    io:format("jdist_node_bench ready~n").

server() ->
    receive
        {call, From, Tag, Request} ->
            spawn(fun() -> From ! {reply, Tag, answer(Request)} end);
        _ ->
            ok
    end,
    server().

answer(Request) ->
    try
        {ok, handle(Request)}
    catch
        Class:Reason:Stack ->
            {error, unicode:characters_to_binary(
                      io_lib:format("~p:~tP in ~tP", [Class, Reason, 30, Stack, 30]))}
    end.

handle(info) ->
    {list_to_binary(erlang:system_info(otp_release)),
     list_to_binary(erlang:system_info(version)),
     erlang:system_info(schedulers_online)};
handle({connect, Node}) ->
    pong = net_adm:ping(Node),
    true;
handle(sink) ->
    spawn(fun sink/0);
handle(echo) ->
    spawn(fun echo/0);
handle({send, Sink, Kind, N}) ->
    send_run(Sink, payload(Kind), N);
handle({ping, Echo, N}) ->
    [round_trip(Echo, I) || I <- lists:seq(1, N)];
handle({connects, Node, N}) ->
    [reconnect(Node) || _ <- lists:seq(1, N)].

payload(small) -> rand:bytes(16);
payload(binary) -> rand:bytes(65536).

%% One-way throughput: the clock runs from the first message until the sink acks the last.
send_run(Sink, Payload, N) ->
    Start = erlang:monotonic_time(nanosecond),
    Sink ! {start, self(), N},
    send_loop(Sink, Payload, 0, N),
    receive
        {ack, Sink, ok} -> erlang:monotonic_time(nanosecond) - Start;
        {ack, Sink, {error, Why}} -> error({sink_failed, Why})
    after ?ACK_TIMEOUT ->
            error({no_ack_within_ms, ?ACK_TIMEOUT})
    end.

send_loop(_Sink, _Payload, N, N) ->
    ok;
send_loop(Sink, Payload, I, N) ->
    Sink ! {seq, I, Payload},
    send_loop(Sink, Payload, I + 1, N).

sink() ->
    receive
        {start, From, N} ->
            Result = count(0, N),
            From ! {ack, self(), Result},
            sink()
    end.

%% Checks the sequence numbers, so a lost or reordered message shows up as an error.
count(N, N) ->
    ok;
count(I, N) ->
    receive
        {seq, I, _} -> count(I + 1, N);
        {seq, Other, _} -> {error, {expected_seq, I, got, Other}}
    after ?GAP_TIMEOUT ->
            {error, {no_message_after, I}}
    end.

echo() ->
    receive
        {ping, From, I} ->
            From ! {pong, I},
            echo()
    end.

round_trip(Echo, I) ->
    Start = erlang:monotonic_time(nanosecond),
    Echo ! {ping, self(), I},
    receive
        {pong, I} -> erlang:monotonic_time(nanosecond) - Start
    after ?GAP_TIMEOUT ->
            error({no_pong_for, I})
    end.

reconnect(Node) ->
    gone(Node, 100),
    Start = erlang:monotonic_time(nanosecond),
    true = net_kernel:connect_node(Node),
    erlang:monotonic_time(nanosecond) - Start.

%% Drops the connection to Node and waits ?SETTLE_MS. Right after a connect, the connection sometimes
%% survives erlang:disconnect_node/1 or comes back within the wait, so this repeats until the node
%% stays gone.
gone(Node, 0) ->
    error({cannot_stay_disconnected_from, Node});
gone(Node, Tries) ->
    erlang:disconnect_node(Node),
    timer:sleep(?SETTLE_MS),
    case lists:member(Node, nodes(connected)) of
        true -> gone(Node, Tries - 1);
        false -> ok
    end.
