namespace TrafficActors.Generator;

/// <summary>The gearbox and engine model shared by the simulator and its tests.</summary>
internal static class DriveTrain
{
    public const int IdleRpm = 800;
    public const int MinGear = 1;
    public const int MaxGear = 7;

    /// <summary>
    /// Engine speed gained per km/h in each gear (index = gear). Chosen so every gear tops out near 4000 rpm at
    /// its expected-gear ceiling and even one gear too low stays under the 6000 rpm stress threshold.
    /// </summary>
    private static readonly double[] RpmPerKmh = [0, 60, 40, 30, 24, 20, 17, 15];

    /// <summary>The downstream rule: clamp(round_half_up(speed / 30), 1, 7).</summary>
    public static int ExpectedGear(double speed) =>
        Math.Clamp((int)Math.Floor((speed / 30.0) + 0.5), MinGear, MaxGear);

    /// <summary>Engine speed for a road speed in a gear; <paramref name="load"/> adds rpm while accelerating.</summary>
    public static double Rpm(double speed, int gear, double load) =>
        IdleRpm + (speed * RpmPerKmh[Math.Clamp(gear, MinGear, MaxGear)]) + load;
}
