%% Erlang distribution over Unix-domain sockets, found through jdist's socket directory: the
%% Erlang side of jdist's `unix` carrier, so that an erl node and a jdist node on one host
%% connect without EPMD and without a TCP port.
%%
%%     erlc jdist_uds_dist.erl
%%     erl -sname a -proto_dist jdist_uds -no_epmd -pa . [-jdist_uds_dir DIR]
%%
%% A module for OTP's alternative-carrier interface (-proto_dist, see "How to implement an
%% Alternative Carrier for the Erlang Distribution" in the ERTS User's Guide), on gen_tcp with
%% {local, Path} addresses. The wire is that of inet_tcp_dist and of jdist's unix carrier: the
%% handshake of dist_util in packets with a 2-byte length, then 4-byte packets, ticks being empty
%% packets. The socket is the distribution controller, as with TCP.
%%
%% The socket directory is the registry. A node listens on DIR/Name@Host, the file named exactly
%% after its full node name; connecting to a node opens DIR/Node. DIR is, first found:
%%   - the argument of -jdist_uds_dir DIR,
%%   - the environment variable JDIST_UDS_DIR,
%%   - jdist's default: /tmp/jdist-USER ($TMPDIR instead of /tmp on macOS), as the JVM's
%%     java.io.tmpdir and user.name give it.
%% As on the Java side, the directory is created with mode 0700 and each socket set to 0600; an
%% existing directory that group or others may write to is refused; a socket file nobody answers
%% on is a stale one and is replaced, one a live node answers on is a name in use. Where Linux
%% gives the peer's credentials, connections from other users are closed unanswered, unless erl
%% runs with -jdist_uds_peers any.
%%
%% There is no EPMD: run erl with -no_epmd. The creation (the incarnation number in pids and
%% references) is drawn at random when the node starts to listen.
-module(jdist_uds_dist).

%% The alternative-carrier interface, called by net_kernel.
-export([listen/2, accept/1, accept_connection/5, setup/5, close/1, select/1, address/0,
         is_node_name/1, setopts/2, getopts/2]).
%% Called by connection processes through external funs, so that new code is picked up.
-export([tick/1]).
%% Where the nodes' sockets are: this node's directory, and jdist's default one.
-export([socket_directory/0, default_directory/0]).

-include_lib("kernel/include/net_address.hrl").
-include_lib("kernel/include/dist.hrl").
-include_lib("kernel/include/dist_util.hrl").
-include_lib("kernel/include/file.hrl").

%% The longest path a Unix socket address holds on Linux: sun_path is 108 bytes with the NUL.
-define(MAX_PATH_BYTES, 107).
-define(PROTOCOL, uds).
-define(FAMILY, local).
%% SOL_SOCKET and SO_PEERCRED on Linux (x86, ARM and most others); struct ucred is 3 x 32 bits.
-define(SOL_SOCKET, 1).
-define(SO_PEERCRED, 17).

%% ---------------------------------------------------------------------------------------------
%% Listening and accepting

%% Binds DIR/Name@Host, after removing a stale socket file there, and draws a creation.
listen(Name, Host) ->
    Node = lists:flatten([to_list(Name), "@", Host]),
    case listen_path(Node) of
        {ok, Path} ->
            Options = [{ifaddr, {local, Path}}, {active, false}, {packet, 2}, {backlog, 128}],
            case gen_tcp:listen(0, Options) of
                {ok, Listen} ->
                    _ = change_mode(Path, 8#600),
                    Address = #net_address{address = {local, Path}, host = Host,
                                           protocol = ?PROTOCOL, family = ?FAMILY},
                    {ok, {Listen, Address, creation()}};
                {error, Reason} ->
                    {error, {listen, Path, Reason}}
            end;
        Error ->
            Error
    end.

%% The socket path for this node, free to bind.
listen_path(Node) ->
    case socket_path(Node) of
        {ok, Path} ->
            case prepare_directory(filename:dirname(Path)) of
                ok -> free_path(Path);
                Error -> Error
            end;
        Error ->
            Error
    end.

free_path(Path) ->
    case prim_file:read_link_info(Path) of
        {error, enoent} ->
            {ok, Path};
        {ok, #file_info{type = Type}} when Type =/= other ->
            %% A socket is of type other; anything else is not ours to remove.
            {error, {not_a_socket, Path, Type}};
        {ok, _} ->
            case gen_tcp:connect({local, Path}, 0, [local], 1000) of
                {ok, Probe} ->
                    gen_tcp:close(Probe),
                    %% net_kernel's own words for a name in use.
                    {error, duplicate_name};
                {error, _} ->
                    logger:info("jdist_uds_dist: replacing the stale socket ~ts left by a node "
                                "that is gone", [Path]),
                    case prim_file:delete(Path) of
                        ok -> {ok, Path};
                        {error, Reason} -> {error, {cannot_remove_stale_socket, Path, Reason}}
                    end
            end
    end.

%% The acceptor: hands each accepted socket to net_kernel, which starts a handshake process
%% (accept_connection/5) and tells the acceptor to pass the socket on.
accept(Listen) ->
    Kernel = self(),
    Uid = case peers() of
              same -> own_uid();
              any -> any
          end,
    spawn_opt(fun() -> accept_loop(Kernel, Listen, Uid) end, [link, {priority, max}]).

accept_loop(Kernel, Listen, Uid) ->
    case gen_tcp:accept(Listen) of
        {ok, Socket} ->
            case refusal(Socket, Uid) of
                none ->
                    Kernel ! {accept, self(), Socket, ?FAMILY, ?PROTOCOL},
                    hand_over(Kernel, Socket);
                Why ->
                    logger:warning("jdist_uds_dist: refusing a connection on ~ts: ~ts",
                                   [listen_path_of(Listen), Why]),
                    gen_tcp:close(Socket)
            end,
            accept_loop(Kernel, Listen, Uid);
        {error, Reason} ->
            exit({accept, Reason})
    end.

hand_over(Kernel, Socket) ->
    receive
        {Kernel, controller, Pid} ->
            case gen_tcp:controlling_process(Socket, Pid) of
                ok -> Pid ! {self(), controller};
                {error, _} -> gen_tcp:close(Socket)
            end;
        {Kernel, unsupported_protocol} ->
            exit(unsupported_protocol)
    end.

%% Why a connection is refused, or none. With -jdist_uds_peers same (the default) the peer must run
%% as this node's user, where the kernel says who the peer is (Linux); elsewhere, and with
%% -jdist_uds_peers any, the modes of the directory and the socket decide who may connect.
refusal(_Socket, Uid) when not is_integer(Uid) ->
    none;
refusal(Socket, Uid) ->
    case inet:getopts(Socket, [{raw, ?SOL_SOCKET, ?SO_PEERCRED, 12}]) of
        {ok, [{raw, _, _, <<_Pid:32/native, Uid:32/native, _Gid:32/native>>}]} ->
            none;
        {ok, [{raw, _, _, <<_Pid:32/native, Other:32/native, _Gid:32/native>>}]} ->
            io_lib:format("the peer runs as uid ~b, not this node's uid ~b (start erl with "
                          "-jdist_uds_peers any to allow other users)", [Other, Uid]);
        _ ->
            none
    end.

peers() ->
    case init:get_argument(jdist_uds_peers) of
        {ok, [["any" | _] | _]} -> any;
        _ -> same
    end.

listen_path_of(Listen) ->
    case inet:sockname(Listen) of
        {ok, {local, Path}} -> Path;
        _ -> "the socket directory"
    end.

own_uid() ->
    case {os:type(), prim_file:read_file_info("/proc/self")} of
        {{unix, linux}, {ok, Info}} -> element(#file_info.uid, Info);
        _ -> unknown
    end.

%% The handshake of a connection another node opened.
accept_connection(AcceptPid, Socket, MyNode, Allowed, SetupTime) ->
    Kernel = self(),
    spawn_opt(fun() -> accepted(Kernel, AcceptPid, Socket, MyNode, Allowed, SetupTime) end,
              [link, {priority, max}]).

accepted(Kernel, AcceptPid, Socket, MyNode, Allowed, SetupTime) ->
    receive
        {AcceptPid, controller} ->
            Timer = dist_util:start_timer(SetupTime),
            HSData = (handshake(Kernel, MyNode, Socket, Timer))#hs_data{allowed = Allowed},
            dist_util:handshake_other_started(HSData)
    end.

%% ---------------------------------------------------------------------------------------------
%% Connecting

%% The handshake of a connection this node opens to DIR/Node.
setup(Node, Type, MyNode, _LongOrShortNames, SetupTime) ->
    Kernel = self(),
    spawn_opt(fun() -> connect(Kernel, Node, Type, MyNode, SetupTime) end,
              [link, {priority, max}]).

connect(Kernel, Node, Type, MyNode, SetupTime) ->
    Timer = dist_util:start_timer(SetupTime),
    Path = case socket_path(atom_to_list(Node)) of
               {ok, P} -> P;
               {error, _} -> ?shutdown(Node)
           end,
    dist_util:reset_timer(Timer),
    case gen_tcp:connect({local, Path}, 0, [local, {active, false}, {packet, 2}]) of
        {ok, Socket} ->
            HSData = (handshake(Kernel, MyNode, Socket, Timer))#hs_data{
                       other_node = Node,
                       other_version = ?ERL_DIST_VER_HIGH,
                       request_type = Type},
            dist_util:handshake_we_started(HSData);
        {error, _} ->
            ?shutdown(Node)
    end.

%% What dist_util needs for either side of a handshake over Socket.
handshake(Kernel, MyNode, Socket, Timer) ->
    #hs_data{kernel_pid = Kernel,
             this_node = MyNode,
             socket = Socket,
             timer = Timer,
             this_flags = 0,
             f_send = fun gen_tcp:send/2,
             f_recv = fun gen_tcp:recv/3,
             f_setopts_pre_nodeup = fun(S) -> inet:setopts(S, [{active, false}, {packet, 4}]) end,
             f_setopts_post_nodeup =
                 fun(S) -> inet:setopts(S, [{active, true}, {deliver, port}, {packet, 4}, binary]) end,
             f_getll = fun inet:getll/1,
             f_address = fun peer_address/2,
             mf_tick = fun ?MODULE:tick/1,
             %% undefined: dist_util reads the counters of the connection itself.
             mf_getstat = undefined,
             mf_setopts = fun ?MODULE:setopts/2,
             mf_getopts = fun ?MODULE:getopts/2}.

peer_address(_Socket, Node) ->
    Path = case socket_path(atom_to_list(Node)) of
               {ok, P} -> P;
               {error, _} -> undefined
           end,
    #net_address{address = {local, Path}, host = host_of(atom_to_list(Node)),
                 protocol = ?PROTOCOL, family = ?FAMILY}.

%% An empty packet. Forced: a tick must not wait behind a busy distribution port.
tick(Socket) ->
    case local_tcp:send(Socket, [], [force]) of
        {error, closed} ->
            self() ! {tcp_closed, Socket},
            {error, closed};
        Other ->
            Other
    end.

%% ---------------------------------------------------------------------------------------------
%% The rest of the interface

close(Listen) ->
    Bound = inet:sockname(Listen),
    _ = gen_tcp:close(Listen),
    case Bound of
        {ok, {local, Path}} when Path =/= <<>>, Path =/= [] -> _ = prim_file:delete(Path), ok;
        _ -> ok
    end.

%% Any well-formed node name: whether it listens is known only by trying.
select(Node) ->
    is_node_name(Node).

is_node_name(Node) when is_atom(Node) ->
    case string:split(atom_to_list(Node), "@") of
        [Alive, Host] -> Alive =/= "" andalso Host =/= "" andalso not lists:member($@, Host)
                             andalso not lists:member($/, Alive ++ Host);
        _ -> false
    end;
is_node_name(_) ->
    false.

address() ->
    {ok, Host} = inet:gethostname(),
    #net_address{host = Host, protocol = ?PROTOCOL, family = ?FAMILY}.

%% Socket options of the connections (net_kernel:setopts/2); those the distribution relies on
%% stay as they are.
setopts(Socket, Options) ->
    case [O || O <- Options, reserved(O)] of
        [] -> inet:setopts(Socket, Options);
        Reserved -> {error, {badopts, Reserved}}
    end.

getopts(Socket, Options) ->
    inet:getopts(Socket, Options).

reserved({Name, _}) -> lists:member(Name, [active, deliver, mode, packet, header]);
reserved(Name) when is_atom(Name) -> lists:member(Name, [binary, list]);
reserved(_) -> true.

%% ---------------------------------------------------------------------------------------------
%% The socket directory
%%
%% Distribution starts before kernel's file server, so files are handled through prim_file.

%% DIR/Node, if Node can name a file and the path fits in a socket address.
socket_path(Node) ->
    Path = filename:join(socket_directory(), Node),
    Bytes = byte_size(unicode:characters_to_binary(Path)),
    if
        Bytes > ?MAX_PATH_BYTES -> {error, {socket_path_too_long, Path, Bytes, ?MAX_PATH_BYTES}};
        true -> {ok, Path}
    end.

%% The directory of this node's socket and of its peers': -jdist_uds_dir, else $JDIST_UDS_DIR,
%% else the default.
socket_directory() ->
    Dir = case init:get_argument(jdist_uds_dir) of
              {ok, [[Given | _] | _]} -> Given;
              _ ->
                  case os:getenv("JDIST_UDS_DIR") of
                      Set when is_list(Set), Set =/= "" -> Set;
                      _ -> default_directory()
                  end
          end,
    case filename:pathtype(Dir) of
        absolute -> Dir;
        _ -> {ok, Cwd} = prim_file:get_cwd(), filename:join(Cwd, Dir)
    end.

%% jdist's default socket directory, as a JVM computes it from its default java.io.tmpdir and
%% user.name.
default_directory() ->
    filename:join(temp_directory(), "jdist-" ++ user()).

%% Where the JVM's java.io.tmpdir points by default.
temp_directory() ->
    case {os:type(), os:getenv("TMPDIR")} of
        {{unix, darwin}, Tmp} when is_list(Tmp), Tmp =/= "" -> Tmp;
        _ -> "/tmp"
    end.

%% The user's login name, as the JVM's user.name: from the password database, not the
%% environment, which a service or container may not set.
user() ->
    case string:trim(os:cmd("id -un")) of
        "" -> os:getenv("USER", "unknown");
        Name -> Name
    end.

%% Creates the directory with mode 0700 if missing; refuses one that others may write to.
prepare_directory(Dir) ->
    case prim_file:read_link_info(Dir) of
        {ok, #file_info{type = directory, mode = Mode}} when Mode band 8#022 =/= 0 ->
            {error, {socket_directory_writable_by_others, Dir,
                     lists:flatten(io_lib:format("mode ~.8B; run chmod 700 ~ts", [Mode band 8#777, Dir]))}};
        {ok, #file_info{type = directory}} ->
            ok;
        {ok, _} ->
            {error, {socket_directory_not_a_directory, Dir}};
        {error, enoent} ->
            _ = make_parents(filename:dirname(Dir)),
            case prim_file:make_dir(Dir) of
                ok -> change_mode(Dir, 8#700);
                {error, eexist} -> prepare_directory(Dir);
                {error, Reason} -> {error, {cannot_create_socket_directory, Dir, Reason}}
            end;
        {error, Reason} ->
            {error, {socket_directory, Dir, Reason}}
    end.

make_parents(Dir) ->
    case prim_file:read_link_info(Dir) of
        {error, enoent} ->
            _ = make_parents(filename:dirname(Dir)),
            prim_file:make_dir(Dir);
        _ ->
            ok
    end.

change_mode(Path, Mode) ->
    prim_file:write_file_info(Path, #file_info{mode = Mode}).

%% ---------------------------------------------------------------------------------------------
%% Helpers

creation() ->
    %% OTP reserves creations 0 to 3 for old nodes.
    4 + rand:uniform(16#ffffffff - 4) - 1.

host_of(Node) ->
    case string:split(Node, "@") of
        [_, Host] -> Host;
        _ -> ""
    end.

to_list(Name) when is_atom(Name) -> atom_to_list(Name);
to_list(Name) when is_list(Name) -> Name.
