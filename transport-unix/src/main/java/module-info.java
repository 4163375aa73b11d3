/** Unix-domain-socket carrier for nodes on one host (arrives with issue #6). */
module io.jdist.transport.unix {
    requires io.jdist;
}
