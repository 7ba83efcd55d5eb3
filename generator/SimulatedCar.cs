using TrafficActors.Domain;

namespace TrafficActors.Generator;

/// <summary>
/// One simulated car: a driving state machine, its position on a route and any violation episode in progress.
/// Normal driving is kept strictly inside every downstream rule, so each alert traces back to an injected episode.
/// </summary>
internal sealed class SimulatedCar
{
    /// <summary>Ceiling of normal driving; two km/h under the overspeed threshold leaves room for rounding.</summary>
    public const double NormalMaxSpeed = 118;

    /// <summary>Floor while an overspeed episode holds, so a long episode is one unbroken run above 120 km/h.</summary>
    public const double OverspeedFloor = 122;

    /// <summary>Hardest normal acceleration or braking (≈2.8 m/s²): 30 km/h in 3 s, well short of harsh braking.</summary>
    public const double MaxNormalRate = 10;

    /// <summary>Hardest emergency braking (≈0.9 g), used only by harsh-braking episodes.</summary>
    public const double MaxHarshDeceleration = 32;

    /// <summary>Normal rpm stays below this so only engine-stress episodes cross 6000.</summary>
    public const double NormalMaxRpm = 5900;

    public const double MinRpm = 650;

    // Integration step: short enough that phase changes land close to where they would in continuous time.
    private const double MaxStepSeconds = 0.1;

    // A generator that was paused (debugger, GC, overloaded host) resumes without replaying a long gap step by step.
    private const double MaxCatchUpSeconds = 60;

    // Harsh braking needs speed to shed; below this the car first gets up to speed.
    private const double HarshMinSpeed = 60;

    // Episodes that arrive while the car is busy wait here instead of vanishing; the cap keeps a very high rate
    // from building an endless backlog.
    private const int MaxPending = 3;

    private readonly Random _random;
    private readonly GeneratorSettings _settings;

    private DrivePhase _phase;
    private double _speed;
    private double _target;
    private double _phaseLeft;
    private double _rate;
    private double _drift;

    private readonly FleetRoute _route;
    private double _distance;
    private int _direction;

    private int _overspeedPending;
    private bool _overspeedActive;
    private double _overspeedHoldLeft;
    private int _harshPending;
    private bool _harshActive;
    private int _wrongGearLeft;
    private int _wrongGearOffset;
    private int _stressLeft;
    private InjectedViolations _sinceLastReport;

    public SimulatedCar(long carId, FleetRoute route, Random random, GeneratorSettings settings)
    {
        CarId = carId;
        _route = route;
        _random = random;
        _settings = settings;
        _distance = random.NextDouble() * route.Length;
        _direction = random.Next(2) == 0 ? 1 : -1;
        if (random.NextDouble() < 0.2)
        {
            _phase = DrivePhase.Stopped;
            _phaseLeft = random.NextDouble() * 15;
        }
        else
        {
            _target = NormalCruiseTarget();
            _speed = _target;
            EnterCruise();
            _phaseLeft = random.NextDouble() * 40;
        }
    }

    public long CarId { get; }

    public DateTimeOffset? LastSample { get; private set; }

    public DrivePhase Phase => _phase;

    /// <summary>Episodes started so far, by kind: overspeed, wrong gear, engine stress, harsh braking.</summary>
    public int OverspeedEpisodes { get; private set; }

    public int WrongGearEpisodes { get; private set; }

    public int EngineStressEpisodes { get; private set; }

    public int HarshBrakingEpisodes { get; private set; }

    /// <summary>Advances the car to <paramref name="now"/> and reports its state and the episodes in it.</summary>
    public RawEvent Sample(DateTimeOffset now, string eventId, out InjectedViolations injected)
    {
        if (LastSample is { } last && now > last)
        {
            var dt = Math.Min((now - last).TotalSeconds, MaxCatchUpSeconds);
            var steps = (int)Math.Ceiling(dt / MaxStepSeconds);
            var h = dt / steps;
            for (var i = 0; i < steps; i++)
                Step(h);
        }

        LastSample = LastSample is { } prev && prev > now ? prev : now;
        return Report(now, eventId, out injected);
    }

    private void Step(double h)
    {
        if (Fires(_settings.OverspeedRate, h))
            _overspeedPending = Math.Min(_overspeedPending + 1, MaxPending);
        if (Fires(_settings.HarshBrakingRate, h))
            _harshPending = Math.Min(_harshPending + 1, MaxPending);
        if (Fires(_settings.WrongGearRate, h) && _wrongGearLeft == 0)
        {
            _wrongGearLeft = _random.Next(2, 6);
            _wrongGearOffset = _random.Next(2) == 0 ? 1 : -1;
            WrongGearEpisodes++;
        }

        if (Fires(_settings.EngineStressRate, h) && _stressLeft == 0)
        {
            _stressLeft = _random.Next(1, 4);
            EngineStressEpisodes++;
        }

        // Overspeed and harsh braking both take over the speed profile, so only one runs at a time.
        if (!_overspeedActive && !_harshActive)
        {
            if (_overspeedPending > 0)
            {
                _overspeedPending--;
                StartOverspeed();
                OverspeedEpisodes++;
            }
            else if (_harshPending > 0)
            {
                if (_phase == DrivePhase.Cruising && _speed >= HarshMinSpeed)
                {
                    _harshPending--;
                    StartHarshBraking();
                    HarshBrakingEpisodes++;
                }
                else if (_speed < HarshMinSpeed && !(_phase == DrivePhase.Accelerating && _target >= 70))
                {
                    BeginAccelerating(70 + (_random.NextDouble() * 25));
                }
            }
        }

        // Flagged before and after the move, so a sample whose window holds only the end of an episode still says so.
        MarkEpisodes();
        Move(h);
        MarkEpisodes();
    }

    private void MarkEpisodes()
    {
        if (_overspeedActive)
            _sinceLastReport |= InjectedViolations.Overspeed;
        if (_harshActive)
            _sinceLastReport |= InjectedViolations.HarshBraking;
    }

    private void Move(double h)
    {
        var before = _speed;
        switch (_phase)
        {
            case DrivePhase.Stopped:
                _speed = 0;
                _phaseLeft -= h;
                if (_phaseLeft <= 0)
                    BeginAccelerating(NormalCruiseTarget());
                break;

            case DrivePhase.Accelerating:
                // Engines pull less at speed; the factor keeps the top of the curve gentle.
                _speed += _rate * (1 - (0.4 * _speed / 200)) * h;
                if (_speed >= _target)
                {
                    _speed = _target;
                    EnterCruise();
                }

                break;

            case DrivePhase.Cruising:
                if (_random.NextDouble() < 1 - Math.Exp(-h / 3))
                    _drift = (_random.NextDouble() * 2.4) - 1.2;
                _speed += _drift * h;
                var low = _overspeedActive ? Math.Max(OverspeedFloor, _target - 4) : Math.Max(0, _target - 4);
                var high = _overspeedActive ? _target + 4 : Math.Min(NormalMaxSpeed, _target + 4);
                _speed = Math.Clamp(_speed, low, high);
                if (_overspeedActive)
                {
                    _overspeedHoldLeft -= h;
                    if (_overspeedHoldLeft <= 0)
                        BeginBraking(NormalCruiseTarget(), NormalRate());
                }
                else
                {
                    _phaseLeft -= h;
                    if (_phaseLeft <= 0)
                        ChooseNextManoeuvre();
                }

                break;

            case DrivePhase.Braking:
                _speed -= _rate * h;
                if (_speed <= _target)
                {
                    _speed = _target;
                    _harshActive = false;
                    _overspeedActive = false;
                    if (_target <= 0)
                    {
                        _phase = DrivePhase.Stopped;
                        _phaseLeft = 3 + (_random.NextDouble() * 17);
                    }
                    else
                    {
                        EnterCruise();
                    }
                }

                break;
        }

        var metres = (before + _speed) / 2 / 3.6 * h;
        _distance += _direction * metres;
        if (_distance > _route.Length)
        {
            _distance = Math.Max(0, (2 * _route.Length) - _distance);
            _direction = -1;
        }
        else if (_distance < 0)
        {
            _distance = Math.Min(_route.Length, -_distance);
            _direction = 1;
        }
    }

    private RawEvent Report(DateTimeOffset now, string eventId, out InjectedViolations injected)
    {
        injected = _sinceLastReport;
        _sinceLastReport = InjectedViolations.None;

        // The downstream rules see the rounded value, so gear and rpm are derived from exactly that.
        var speed = Math.Clamp(Math.Round(_speed, 1), 0, 200);
        var expected = DriveTrain.ExpectedGear(speed);
        var gear = expected;
        if (_wrongGearLeft > 0)
        {
            _wrongGearLeft--;
            if (expected + _wrongGearOffset is < DriveTrain.MinGear or > DriveTrain.MaxGear)
                _wrongGearOffset = -_wrongGearOffset;
            gear = expected + _wrongGearOffset;
            injected |= InjectedViolations.WrongGear;
        }

        var load = _phase switch
        {
            DrivePhase.Accelerating => 250 + (_random.NextDouble() * 200),
            DrivePhase.Cruising => _random.NextDouble() * 100,
            _ => 0,
        };
        var noise = (_random.NextDouble() * 80) - 40;
        var rpm = (int)Math.Round(Math.Clamp(DriveTrain.Rpm(speed, gear, load) + noise, MinRpm, NormalMaxRpm));
        if (_stressLeft > 0)
        {
            _stressLeft--;
            rpm = 6100 + _random.Next(1700);
            injected |= InjectedViolations.EngineStress;
        }

        var p = _route.PointAt(_distance);
        var location = new GeoPoint(Math.Round(p.Lat, 6), Math.Round(p.Lon, 6));
        return new RawEvent(eventId, now, CarId, speed, rpm, gear, location);
    }

    private void StartOverspeed()
    {
        _overspeedActive = true;
        // About 40% run long enough to trip the sustained-overspeed rule (> 30 s); the rest stay clearly under it,
        // counting the climb above 120 km/h and the braking back down.
        var sustained = _random.NextDouble() < 0.4;
        _overspeedHoldLeft = sustained ? 32 + (_random.NextDouble() * 28) : 4 + (_random.NextDouble() * 6);
        var target = sustained ? 130 + (_random.NextDouble() * 30) : 125 + (_random.NextDouble() * 20);
        BeginAccelerating(target);
    }

    private void StartHarshBraking()
    {
        _harshActive = true;
        // Shedding at least 48 km/h at 25+ km/h/s means any two samples up to ~1 s apart around the stop see > 40 km/h
        // lost within 3 s, whatever the sampling phase.
        var drop = 48 + (_random.NextDouble() * 22);
        var target = _speed - drop < 15 ? 0 : _speed - drop;
        BeginBraking(target, 25 + (_random.NextDouble() * (MaxHarshDeceleration - 25)));
    }

    private void ChooseNextManoeuvre()
    {
        var roll = _random.NextDouble();
        if (roll < 0.25)
        {
            BeginBraking(0, NormalRate());
            return;
        }

        var next = NormalCruiseTarget();
        if (next > _speed + 2)
            BeginAccelerating(next);
        else if (next < _speed - 2)
            BeginBraking(next, NormalRate());
        else
            EnterCruise();
    }

    private void BeginAccelerating(double target)
    {
        // Speed never snaps down to a lower target: slowing to it is a braking manoeuvre.
        if (target < _speed)
        {
            BeginBraking(target, NormalRate());
            return;
        }

        _phase = DrivePhase.Accelerating;
        _target = target;
        _rate = NormalRate();
    }

    private void BeginBraking(double target, double rate)
    {
        _phase = DrivePhase.Braking;
        _target = target;
        _rate = rate;
    }

    private void EnterCruise()
    {
        _phase = DrivePhase.Cruising;
        _drift = 0;
        _phaseLeft = 10 + (_random.NextDouble() * 50);
    }

    private double NormalRate() => 5 + (_random.NextDouble() * (MaxNormalRate - 1 - 5));

    // City streets, arterials and highway stretches; the top stays under NormalMaxSpeed including cruise wander.
    private double NormalCruiseTarget()
    {
        var roll = _random.NextDouble();
        var (min, max) = roll < 0.35 ? (30.0, 50.0) : roll < 0.75 ? (55.0, 85.0) : (90.0, 112.0);
        return min + (_random.NextDouble() * (max - min));
    }

    private bool Fires(double perMinute, double seconds) =>
        perMinute > 0 && _random.NextDouble() < 1 - Math.Exp(-perMinute * seconds / 60);
}
