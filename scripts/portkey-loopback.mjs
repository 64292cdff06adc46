// Preloaded into Portkey's gateway by scripts/portkey-gateway.sh (node --import). The gateway listens on
// every interface and has no setting for the address; a listen without a host is pointed at 127.0.0.1,
// as every other process of the benchmarks listens.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, host, ...rest) {
    if (typeof port === 'number' && (host === undefined || typeof host === 'function')) {
        return listen.call(this, port, '127.0.0.1', ...(host === undefined ? rest : [host, ...rest]));
    }
    return listen.call(this, port, host, ...rest);
};
