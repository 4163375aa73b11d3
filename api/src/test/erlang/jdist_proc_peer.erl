%% Erlang processes for jdist's process interop tests (AbstractProcessInteropTest): each helper
%% starts a process that does one thing a test needs and reports to a Java mailbox, so that tests
%% observe Erlang's side of links, monitors, exits, spawns, calls and aliases.
%%
%% Loaded next to jdist_node_peer (same code path) and called from its {eval, ...} requests.
-module(jdist_proc_peer).
-behaviour(gen_server).

-export([serve/1, waiter/0, waiter/1, watch/2, link_to/2, link_then_unlink/2, alias_echo/2, send_back/2,
         start_server/1, ask/3, run_and_report/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

%% Registers as Name a process that runs {apply, M, F, Args} messages, so that Java can hand Erlang
%% its pids and references, which Erlang source cannot spell.
serve(Name) ->
    Pid = spawn(fun Loop() -> receive {apply, M, F, A} -> apply(M, F, A), Loop() end end),
    true = register(Name, Pid),
    Pid.

%% A process that exits with Reason when sent {exit, Reason}; registered as Name with waiter/1.
waiter() ->
    spawn(fun() -> receive {exit, Reason} -> exit(Reason) end end).

waiter(Name) ->
    Pid = waiter(),
    true = register(Name, Pid),
    Pid.

%% Monitors Target (a pid or {Name, Node}) and reports {watching, Self} to ReportTo, then
%% {down, Item, Reason} when the monitor fires; on 'demonitor' it demonitors and reports
%% {demonitored, Result}, then {no_down} if nothing comes within a second.
watch(Target, ReportTo) ->
    spawn(fun() ->
                  Ref = erlang:monitor(process, Target),
                  ReportTo ! {watching, self()},
                  receive
                      {'DOWN', Ref, process, Item, Reason} -> ReportTo ! {down, Item, Reason};
                      demonitor ->
                          ReportTo ! {demonitored, erlang:demonitor(Ref)},
                          receive {'DOWN', Ref, _, _, _} = Down -> ReportTo ! {unexpected, Down}
                          after 1000 -> ReportTo ! no_down
                          end
                  end
          end).

%% Traps exits, links to Target and reports {linked, Self}; then {exit, From, Reason} for the
%% first exit signal.
link_to(Target, ReportTo) ->
    spawn(fun() ->
                  process_flag(trap_exit, true),
                  link(Target),
                  ReportTo ! {linked, self()},
                  receive {'EXIT', From, Reason} -> ReportTo ! {exit, From, Reason} end
          end).

%% Links to Target, unlinks at once (UNLINK_ID), reports {unlinked, Self}; then reports any exit
%% signal within 2 s, or no_exit.
link_then_unlink(Target, ReportTo) ->
    spawn(fun() ->
                  process_flag(trap_exit, true),
                  link(Target),
                  true = unlink(Target),
                  ReportTo ! {unlinked, self()},
                  receive {'EXIT', From, Reason} -> ReportTo ! {exit, From, Reason}
                  after 2000 -> ReportTo ! no_exit
                  end
          end).

%% Makes an alias, sends {alias, Alias} to ReportTo, and reports {via_alias, Msg} for each message
%% that arrives through it; on {send_to, Alias2, Msg} it sends Msg to the alias Alias2.
alias_echo(ReportTo, Count) ->
    spawn(fun() ->
                  Alias = alias(),
                  ReportTo ! {alias, Alias},
                  alias_loop(Alias, ReportTo, Count)
          end).

alias_loop(_Alias, _ReportTo, 0) -> ok;
alias_loop(Alias, ReportTo, N) ->
    receive
        {send_to, To, Msg} -> To ! Msg, alias_loop(Alias, ReportTo, N - 1);
        Msg -> ReportTo ! {via_alias, Msg}, alias_loop(Alias, ReportTo, N - 1)
    end.

%% For spawning from Java: sends {self(), node(), Value} to To.
send_back(To, Value) ->
    To ! {self(), node(), Value},
    ok.

%% Evaluates Fun and reports {result, Value} to ReportTo (for Java to learn what an Erlang call
%% into Java returned).
run_and_report(Fun, ReportTo) ->
    ReportTo ! {result, Fun()},
    ok.

%% A gen_server registered as Name, started unlinked so that it outlives the evaluation.
start_server(Name) ->
    {ok, Pid} = gen_server:start({local, Name}, ?MODULE, [], []),
    Pid.

%% gen_server:call from Erlang, catching the exit, for the tests' calls into Java.
ask(Server, Request, Timeout) ->
    try gen_server:call(Server, Request, Timeout)
    catch exit:Reason -> {caught, Reason}
    end.

init([]) -> {ok, #{}}.

handle_call({echo, X}, _From, State) -> {reply, {echoed, X}, State};
handle_call({sleep, Ms}, _From, State) -> timer:sleep(Ms), {reply, slept, State};
handle_call({stop, Reason}, _From, State) -> {stop, Reason, State};
handle_call(get, _From, State) -> {reply, maps:get(value, State, none), State}.

handle_cast({put, X}, State) -> {noreply, State#{value => X}}.

handle_info(_Msg, State) -> {noreply, State}.
