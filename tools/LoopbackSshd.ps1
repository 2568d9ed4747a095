# A private sshd on 127.0.0.1 with PowerShell's SSH subsystem, for the remoting test and the
# fan-out benchmark: its own host key, client key, known_hosts and config in a temporary folder,
# nothing in /etc/ssh or ~/.ssh touched. Dot-source it, then Start-LoopbackSshd / Stop-LoopbackSshd.

# The command that runs this pwsh: 'dotnet <pwsh.dll>' for the pinned dotnet tool, else the pwsh binary.
function Get-PwshCommandLine {
    $self = Get-Process -Id $PID
    if ($self.ProcessName -eq 'dotnet') { @($self.Path, (Join-Path $PSHOME 'pwsh.dll')) } else { @($self.Path) }
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function ConvertTo-ShellWord([string] $Text) { "'" + ($Text -replace "'", "'\''") + "'" }

function Start-LoopbackSshd {
    [CmdletBinding()]
    param(
        # Environment variables the remote pwsh needs from this one (a real host sets them in its profile or service).
        [string[]] $PassEnvironment = @('PLAYWRIGHT_NODEJS_PATH', 'ALEXAPRIVACY_BROWSER_PATH', 'NUGET_PACKAGES', 'DOTNET_ROOT'),
        [ValidateRange(1, 120)] [int] $StartSeconds = 30
    )
    $sshd = @('/usr/sbin/sshd', '/usr/local/sbin/sshd') | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $sshd) { throw 'sshd is not installed: ./build.sh installs openssh-server (apt-get install openssh-server).' }
    $keygen = (Get-Command ssh-keygen -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    # sshd refuses to start without its privilege separation directory, which a container may lack.
    if (-not (Test-Path /run/sshd)) {
        try { $null = New-Item -ItemType Directory -Path /run/sshd -ErrorAction Stop; & chmod 755 /run/sshd }
        catch { throw "sshd needs the directory /run/sshd and it cannot be created: $($_.Exception.Message)" }
    }

    $folder = Join-Path ([IO.Path]::GetTempPath()) "alexaprivacy-sshd-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
    $null = New-Item -ItemType Directory -Path $folder
    & chmod 700 $folder
    foreach ($key in 'host_key', 'client_key') {
        & $keygen -q -t ed25519 -N '' -C "alexaprivacy-test-$key" -f (Join-Path $folder $key)
        if ($LASTEXITCODE -ne 0) { throw "ssh-keygen failed for $key." }
    }
    Copy-Item (Join-Path $folder 'client_key.pub') (Join-Path $folder 'authorized_keys')
    & chmod 600 (Join-Path $folder 'authorized_keys')

    # The SSH subsystem: this very pwsh in server mode, with the variables the module needs.
    $wrapper = Join-Path $folder 'pwsh-sshs.sh'
    $lines = @('#!/bin/sh')
    foreach ($name in $PassEnvironment) {
        $value = [Environment]::GetEnvironmentVariable($name)
        if ($value) { $lines += "export $name=$(ConvertTo-ShellWord $value)" }
    }
    $lines += 'exec ' + ((@(Get-PwshCommandLine) | ForEach-Object { ConvertTo-ShellWord $_ }) -join ' ') + ' -sshs -NoLogo -NoProfile'
    Set-Content -Path $wrapper -Value ($lines -join "`n") -NoNewline
    & chmod 700 $wrapper

    $port = Get-FreeLoopbackPort
    $user = [Environment]::UserName
    $config = Join-Path $folder 'sshd_config'
    @(
        "Port $port"
        'ListenAddress 127.0.0.1'
        "HostKey $folder/host_key"
        "PidFile $folder/sshd.pid"
        "AuthorizedKeysFile $folder/authorized_keys"
        'PubkeyAuthentication yes'
        'PasswordAuthentication no'
        'KbdInteractiveAuthentication no'
        'UsePAM no'
        # CI runs as root; a key is still required.
        'PermitRootLogin prohibit-password'
        "AllowUsers $user"
        # The temporary folder sits under the world-writable /tmp, which StrictModes rejects.
        'StrictModes no'
        'MaxStartups 50:30:100'
        'MaxSessions 50'
        "Subsystem powershell $wrapper"
    ) | Set-Content -Path $config

    # The client side: the host key is known in advance for both names, so nothing ever asks.
    $hostKey = (Get-Content (Join-Path $folder 'host_key.pub') -Raw).Trim() -replace ' \S+$', ''
    $knownHosts = Join-Path $folder 'known_hosts'
    "[127.0.0.1]:$port,[localhost]:$port $hostKey" | Set-Content -Path $knownHosts

    $log = Join-Path $folder 'sshd.log'
    $info = [Diagnostics.ProcessStartInfo]::new($sshd)
    foreach ($a in '-D', '-e', '-f', $config, '-E', $log) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()

    $deadline = [DateTime]::UtcNow.AddSeconds($StartSeconds)
    $listening = $false
    while (-not $listening -and [DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $listening = $client.ConnectAsync('127.0.0.1', $port).Wait(1000) -and $client.Connected } catch { $listening = $false } finally { $client.Dispose() }
        if (-not $listening) { Start-Sleep -Milliseconds 200 }
    }
    if (-not $listening) {
        $text = if (Test-Path $log) { Get-Content $log -Raw } else { '' }
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "sshd did not listen on 127.0.0.1:$port within $StartSeconds s. $text"
    }
    [pscustomobject]@{
        Process      = $process
        Folder       = $folder
        Port         = $port
        UserName     = $user
        KeyFilePath  = Join-Path $folder 'client_key'
        LogPath      = $log
        # ssh -o options for New-PSSession/Invoke-Command -Options: never prompt, trust only the generated host key,
        # and reach 'localhost' over IPv4, where this sshd listens.
        Options      = @{
            BatchMode             = 'yes'
            StrictHostKeyChecking = 'yes'
            UserKnownHostsFile    = $knownHosts
            IdentitiesOnly        = 'yes'
            AddressFamily         = 'inet'
            ConnectTimeout        = '20'
        }
    }
}

function Stop-LoopbackSshd {
    param($Sshd)
    if (-not $Sshd) { return }
    if (-not $Sshd.Process.HasExited) {
        $Sshd.Process.Kill($true)
        $null = $Sshd.Process.WaitForExit(10000)
    }
    Remove-Item $Sshd.Folder -Recurse -Force -ErrorAction SilentlyContinue
}
