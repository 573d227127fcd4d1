namespace AgentVault.Broker.Notifications;

/// <summary>
/// The last <see cref="Capacity"/> deliveries in memory (the newest replace the oldest; lost on restart). Written by the
/// publisher and the delivery service, read by the API; a small lock, never on the proxy's path.
/// </summary>
internal sealed class DeliveryLog
{
    public const int Capacity = 200;

    private readonly Lock _lock = new();
    private readonly Queue<string> _order = new();
    private readonly Dictionary<string, DeliveryRecord> _records = new(StringComparer.Ordinal);

    public void Add(DeliveryRecord record)
    {
        lock (_lock)
        {
            _order.Enqueue(record.Id);
            _records[record.Id] = record;
            while (_order.Count > Capacity)
            {
                _records.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>Replaces the record with the same id, unless it has already left the ring.</summary>
    public void Update(DeliveryRecord record)
    {
        lock (_lock)
        {
            if (_records.ContainsKey(record.Id))
            {
                _records[record.Id] = record;
            }
        }
    }

    /// <summary>The records, newest first.</summary>
    public IReadOnlyList<DeliveryRecord> Snapshot()
    {
        lock (_lock)
        {
            return [.. _order.Reverse().Select(id => _records[id])];
        }
    }

    public DeliveryRecord? Find(string id)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault(id);
        }
    }
}
