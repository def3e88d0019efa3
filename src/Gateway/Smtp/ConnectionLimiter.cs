using System.Net;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>Counts open sessions, in all and per client address, against <c>Smtp:MaxConnections*</c>.</summary>
public sealed class ConnectionLimiter(IOptions<SmtpOptions> options)
{
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly SmtpOptions _options = options.Value;
    private int _total;

    public int Open
    {
        get
        {
            lock (_perAddress)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a slot; null when allowed, otherwise the 421 to send before closing.</summary>
    public SmtpReply? TryAcquire(IPAddress address)
    {
        lock (_perAddress)
        {
            if (_total >= _options.MaxConnections)
            {
                return SmtpReply.TooManyConnections;
            }

            var mine = _perAddress.GetValueOrDefault(address);
            if (mine >= _options.MaxConnectionsPerIp)
            {
                return SmtpReply.TooManyConnectionsFromYou;
            }

            _perAddress[address] = mine + 1;
            _total++;
            return null;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_perAddress)
        {
            _total--;
            if (_perAddress.TryGetValue(address, out var n) && n > 1)
            {
                _perAddress[address] = n - 1;
            }
            else
            {
                _perAddress.Remove(address);
            }
        }
    }
}
