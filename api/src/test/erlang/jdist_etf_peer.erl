%% A test peer that lets jdist's tests check its External Term Format codec against the real
%% term_to_binary/binary_to_term.
%%
%% Started by io.jdist.testing.ErlangRuntime#startPortProgram as
%%
%%     erl -noshell -noinput -pa Dir -s jdist_etf_peer start
%%
%% it talks to the JVM over its stdin and stdout as an Erlang port with 4-byte length-prefixed
%% packets: each request is one packet holding an ETF term, and gets exactly one packet back holding
%% term_to_binary({ok, Reply}) or term_to_binary({error, Text}). Stdout carries nothing but
%% packets; diagnostics and log events go to stderr, which the JVM collects for failure messages.
%%
%% Requests:
%%
%%   {roundtrip, ExprText, JavaBytes, CheckBytes}
%%       evaluates ExprText (Erlang expression syntax ending in a dot), decodes JavaBytes, and
%%       answers {Same, BytesSame, ErlangBytes, Detail}: whether the decoded term is identical to
%%       the value (=:= and, for floats, the same sign of zero), whether term_to_binary(Value) is
%%       exactly JavaBytes ('skipped' unless CheckBytes), term_to_binary(Value), and a printout of
%%       both terms when they differ.
%%   {t2b, ExprText, Options}        -> term_to_binary(Value, Options)
%%   {eval, ExprText}                -> term_to_binary(Value)
%%   {binary_to_term, Bytes}         -> term_to_binary(binary_to_term(Bytes)), or an error
%%   {compare, A, B}                 -> {A < B, A == B, A =:= B}
%%   erlang_made                     -> [{Name, Options, term_to_binary(Term, Options)}] for terms
%%                                      that only Erlang can make; they are kept for same_as_made
%%   {same_as_made, Index, Bytes}    -> whether binary_to_term(Bytes) is identical to the
%%                                      Index-th (1-based) term of the last erlang_made reply
%%
%% The expression evaluator knows three extra functions for terms that Erlang syntax cannot
%% write, built from their external format exactly as a remote node would send them:
%%
%%   pid(Node, Creation, Id, Serial)   NEW_PID_EXT
%%   port(Node, Creation, Id)          V4_PORT_EXT (a 64-bit id)
%%   ref(Node, Creation, Words)        NEWER_REFERENCE_EXT, Words least significant first
-module(jdist_etf_peer).

-export([start/0]).

-define(VERSION, 131).
-define(NEW_PID_EXT, 88).
-define(NEWER_REFERENCE_EXT, 90).
-define(V4_PORT_EXT, 120).

start() ->
    log_to_stderr(),
    spawn(fun serve/0),
    ok.

%% Log events (such as crash reports) would otherwise be written to stdout among the packets.
log_to_stderr() ->
    _ = logger:remove_handler(default),
    ok = logger:add_handler(default, logger_std_h, #{config => #{type => standard_error}}).

serve() ->
    Port = open_port({fd, 0, 1}, [binary, {packet, 4}, eof]),
    try
        loop(Port)
    catch
        Class:Reason:Stack ->
            io:format(standard_error, "jdist_etf_peer crashed: ~p:~p~n~p~n", [Class, Reason, Stack]),
            erlang:halt(2)
    end.

loop(Port) ->
    receive
        {Port, {data, Packet}} ->
            Reply = try
                        {ok, handle(binary_to_term(Packet))}
                    catch
                        Class:Reason:Stack ->
                            Text = io_lib:format("~p:~P~n~P", [Class, Reason, 40, Stack, 40]),
                            io:format(standard_error, "jdist_etf_peer request failed: ~s~n", [Text]),
                            {error, unicode:characters_to_binary(Text)}
                    end,
            true = port_command(Port, term_to_binary(Reply)),
            loop(Port);
        {Port, eof} ->
            erlang:halt(0);
        Other ->
            io:format(standard_error, "jdist_etf_peer ignores ~p~n", [Other]),
            loop(Port)
    end.

handle({roundtrip, Expr, JavaBytes, CheckBytes}) ->
    Value = eval(Expr),
    ErlangBytes = term_to_binary(Value),
    Decoded = try binary_to_term(JavaBytes)
              catch error:badarg -> error({binary_to_term_rejected_java_bytes, JavaBytes})
              end,
    Same = same(Decoded, Value),
    BytesSame = case CheckBytes of
                    true -> ErlangBytes =:= JavaBytes;
                    false -> skipped
                end,
    Detail = case Same of
                 true -> <<>>;
                 false -> unicode:characters_to_binary(
                            io_lib:format("Erlang decoded the Java bytes as~n  ~tP~nbut the expression is~n  ~tP",
                                          [Decoded, 60, Value, 60]))
             end,
    {Same, BytesSame, ErlangBytes, Detail};
handle({t2b, Expr, Options}) ->
    term_to_binary(eval(Expr), Options);
handle({eval, Expr}) ->
    term_to_binary(eval(Expr));
handle({binary_to_term, Bytes}) ->
    term_to_binary(binary_to_term(Bytes));
handle({compare, A, B}) ->
    {A < B, A == B, A =:= B};
handle(erlang_made) ->
    Made = erlang_made(),
    put(made, [Term || {_, _, Term} <- Made]),
    [{atom_to_binary(Name), Options, term_to_binary(Term, Options)} || {Name, Options, Term} <- Made];
handle({same_as_made, Index, Bytes}) ->
    same(binary_to_term(Bytes), lists:nth(Index, get(made))).

%% Evaluates Erlang expression text such as <<"{a, pid(b@h, 1, 2, 3)}.">>.
eval(Expr) ->
    {ok, Tokens, _} = erl_scan:string(unicode:characters_to_list(Expr)),
    {ok, Exprs} = erl_parse:parse_exprs(Tokens),
    {value, Value, _} = erl_eval:exprs(Exprs, erl_eval:new_bindings(), {value, fun local/2}),
    Value.

local(pid, [Node, Creation, Id, Serial]) ->
    binary_to_term(<<?VERSION, ?NEW_PID_EXT, (atom_ext(Node))/binary,
                     Id:32, Serial:32, Creation:32>>);
local(port, [Node, Creation, Id]) ->
    binary_to_term(<<?VERSION, ?V4_PORT_EXT, (atom_ext(Node))/binary, Id:64, Creation:32>>);
local(ref, [Node, Creation, Words]) ->
    binary_to_term(<<?VERSION, ?NEWER_REFERENCE_EXT, (length(Words)):16, (atom_ext(Node))/binary,
                     Creation:32, << <<Word:32>> || Word <- Words >>/binary>>);
local(Name, Args) ->
    error({undefined_function, Name, length(Args)}).

%% An atom in the external format as Erlang itself writes it, without the version byte.
atom_ext(Atom) when is_atom(Atom) ->
    <<?VERSION, Ext/binary>> = term_to_binary(Atom),
    Ext.

%% Exact equality that also tells 0.0 from -0.0, which are =:= in OTP 25.
same(A, B) when is_float(A), is_float(B) ->
    <<A/float>> =:= <<B/float>>;
same(A, B) when is_tuple(A), is_tuple(B) ->
    tuple_size(A) =:= tuple_size(B) andalso same(tuple_to_list(A), tuple_to_list(B));
same([A | As], [B | Bs]) ->
    same(A, B) andalso same(As, Bs);
same(A, B) when is_map(A), is_map(B) ->
    %% Entry by entry in the order of the keys' encodings (which also tells a -0.0 key from a 0.0
    %% key), without A =:= B or lookups: OTP 25.2.3 itself loses one-word external references
    %% in large maps. With R = ref('a@b', 2, [5]) and
    %% M = maps:from_list([{R, 0} | [{K, 0} || K <- lists:seq(1, 5000)]]),
    %% D = binary_to_term(term_to_binary(M)) has all the keys of M, yet maps:is_key(R, D) is
    %% false and D =:= M is false.
    map_size(A) =:= map_size(B) andalso same_entries(entries(A), entries(B));
same(A, B) ->
    A =:= B.

entries(Map) ->
    lists:keysort(1, [{term_to_binary(K), V} || {K, V} <- maps:to_list(Map)]).

same_entries([{K, V} | As], [{K, W} | Bs]) ->
    same(V, W) andalso same_entries(As, Bs);
same_entries([], []) ->
    true;
same_entries(_, _) ->
    false.

%% Terms that only a running Erlang system can make, with the term_to_binary options to encode
%% them with.
erlang_made() ->
    Self = self(),
    AddY = adder(42),
    Ref = make_ref(),
    Big = maps:from_list([{I, I * I} || I <- lists:seq(1, 100)]),
    Mixed = maps:from_list([{K, {value, K}} || K <- mixed_keys()]),
    Captures = captures([Self, Ref, Big, AddY, -0.0, <<1, 2, 3:5>>]),
    ShellFun = eval(<<"fun(X, Y) -> {X, Y, [a, \"b\", <<\"c\">>]} end.">>),
    MonitorAlias = erlang:monitor(process, Self, [{alias, demonitor}]),
    erlang:demonitor(MonitorAlias),
    Alias = alias(),
    unalias(Alias),
    [{self, [], Self},
     {make_ref, [], Ref},
     {alias, [], Alias},
     {monitor_alias, [], MonitorAlias},
     {ports, [], erlang:ports()},
     {closure_with_free_variable, [], AddY},
     {closure_without_free_variables, [], fun(X) -> X end},
     {closure_capturing_many_terms, [], Captures},
     {erl_eval_closure, [], ShellFun},
     {export_fun, [], fun lists:map/2},
     {export_fun_minor_version_2, [{minor_version, 2}], fun 'Elixir.Enum':map/2},
     {map_of_100_integer_keys, [], Big},
     {map_of_mixed_keys, [], Mixed},
     {map_of_1000_keys_compressed, [compressed], maps:from_list([{I, [I]} || I <- lists:seq(1, 1000)])},
     {map_of_33_keys, [], maps:from_list([{I, I} || I <- lists:seq(1, 33)])},
     {nested_maps, [], #{a => Big, b => #{Big => Mixed}, c => [Big, Mixed]}},
     {closures_in_a_big_map, [], maps:from_list([{I, fun() -> I end} || I <- lists:seq(1, 40)])},
     {list_compressed, [compressed], lists:seq(1, 5000)},
     {binary_compressed_level_9, [{compressed, 9}], binary:copy(<<"jdist ">>, 5000)},
     {tuple_compressed_level_1, [{compressed, 1}], list_to_tuple(lists:seq(1, 3000))},
     {closure_compressed, [compressed], Captures},
     {unicode_atoms_minor_version_2, [{minor_version, 2}], ['héllo', 'wörld', '日本', 'h😀', abc]},
     {negative_zero, [], [-0.0, 0.0, {-0.0}]},
     {bignums, [], [1 bsl 64, -(1 bsl 64), 1 bsl 5000, -(1 bsl 2047) - 1]},
     {everything_together, [], {Self, Ref, AddY, fun erlang:'+'/2, Big, hd(erlang:ports()),
                                 <<"bin">>, <<7:3>>, "string", [1 | 2], 3.5, 'atom'}}].

%% A fun with a free variable (a fun closing over a constant would have none).
adder(Y) ->
    fun(X) -> X + Y end.

captures([A, B, C, D, E, F]) ->
    fun() -> {A, B, C, D, E, F} end.

mixed_keys() ->
    [1, 1.0, -1, -1.0, 0, 2.5, 1 bsl 70, a, 'B', <<>>, <<"k">>, <<1:1>>, [], [1], "ab", {}, {1},
     {1.0}, #{}, #{1 => 1}, #{1.0 => 1}, self(), make_ref(), fun lists:map/2]
        ++ [list_to_atom("k" ++ integer_to_list(I)) || I <- lists:seq(1, 40)].
