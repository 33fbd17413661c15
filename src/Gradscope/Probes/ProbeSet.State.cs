namespace Gradscope.Probes;

public sealed partial class ProbeSet<T> : IO.ICheckpointable
{
    /// <summary>
    /// What carries from one step to the next: whether the optimiser measures the fused norms, and each probe's own
    /// state (spectral-norm warm starts, clip counters). Schedules are functions of the step, so they need nothing.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_fused);
        writer.Write(_probes.Length);
        foreach (var probe in _probes)
        {
            writer.Write(probe.Quantity);
            probe.WriteState(writer);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _fused = reader.ReadBoolean();
        if (reader.ReadInt32() != _probes.Length) throw new InvalidDataException("checkpoint does not match this run: probe schedules.");
        foreach (var probe in _probes)
        {
            string quantity = reader.ReadString();
            if (quantity != probe.Quantity) throw new InvalidDataException($"checkpoint does not match this run: probe '{quantity}' where '{probe.Quantity}' runs.");
            probe.ReadState(reader);
        }
    }
}
