package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.gate.spec.Schedules;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * A JOSDK event source driven by Quartz (RAMJobStore): each policy's spec.verification.schedule
 * triggers a reconcile at its fire times plus the policy's stable jitter offset ({@link
 * Schedules#verificationOffset}), where the core re-verifies the dependencies while idle: at each
 * cron fire a one-shot trigger is added for fire + offset, so many policies on one cron do not
 * probe at once and Quartz's single thread is all the source needs. Event sources start with the
 * controller, so with leader election only the leader schedules.
 */
public class VerificationScheduleSource extends AbstractEventSource<Void, ReadinessPolicy> {
  private static final String SOURCE = "source";
  private static final String JITTERED = "jittered";
  private final Map<ResourceID, String> scheduled = new ConcurrentHashMap<>();
  private Scheduler scheduler;

  public VerificationScheduleSource() {
    super(Void.class, "verification-schedule");
  }

  /**
   * Schedules, reschedules or unschedules the policy's verification; cheap when nothing changed.
   */
  void track(ReadinessPolicy policy) {
    ResourceID id = ResourceID.fromResource(policy);
    var v = policy.getSpec() == null ? null : policy.getSpec().verification;
    String cron = v == null ? null : v.schedule;
    String identity = Schedules.policyIdentity(policy.getSpec());
    String tracked = cron == null ? null : cron + "\n" + identity;
    if (scheduler == null || Objects.equals(tracked, scheduled.get(id))) {
      return;
    }
    try {
      JobKey key = JobKey.jobKey(id.getName(), id.getNamespace().orElse(""));
      scheduler.deleteJob(key);
      scheduled.remove(id);
      if (cron == null || !CronExpression.isValidExpression(cron)) {
        return;
      }
      JobDataMap data = new JobDataMap();
      data.put("name", id.getName());
      data.put("namespace", id.getNamespace().orElse(null));
      data.put("schedule", cron);
      data.put("identity", identity);
      scheduler.scheduleJob(
          JobBuilder.newJob(Fire.class).withIdentity(key).usingJobData(data).build(),
          TriggerBuilder.newTrigger()
              .withSchedule(
                  CronScheduleBuilder.cronSchedule(cron)
                      .inTimeZone(
                          TimeZone.getTimeZone("UTC")) // the core reads the same cron in UTC
                      .withMisfireHandlingInstructionFireAndProceed())
              .build());
      scheduled.put(id, tracked);
    } catch (SchedulerException e) {
      throw new OperatorException(
          "could not schedule verification of " + id + ": " + e.getMessage(), e);
    }
  }

  /** Removes a deleted policy's schedule. */
  void forget(ReadinessPolicy policy) {
    ResourceID id = ResourceID.fromResource(policy);
    try {
      if (scheduler != null && scheduled.remove(id) != null) {
        scheduler.deleteJob(JobKey.jobKey(id.getName(), id.getNamespace().orElse("")));
      }
    } catch (SchedulerException e) {
      throw new OperatorException(
          "could not unschedule verification of " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void start() throws OperatorException {
    try {
      Properties props = new Properties();
      props.setProperty(
          "org.quartz.scheduler.instanceName", "rungate-" + System.identityHashCode(this));
      props.setProperty("org.quartz.threadPool.threadCount", "1");
      props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      scheduler = new StdSchedulerFactory(props).getScheduler();
      scheduler.getContext().put(SOURCE, this);
      scheduler.start();
    } catch (SchedulerException e) {
      throw new OperatorException("could not start the Quartz scheduler: " + e.getMessage(), e);
    }
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    try {
      if (scheduler != null) {
        scheduler.shutdown(false);
      }
    } catch (SchedulerException e) {
      throw new OperatorException(e.getMessage(), e);
    }
    scheduled.clear();
    super.stop();
  }

  @Override
  public Set<Void> getSecondaryResources(ReadinessPolicy primary) {
    return Set.of();
  }

  private void fire(String name, String namespace) {
    getEventHandler().handleEvent(new Event(new ResourceID(name, namespace)));
  }

  /**
   * The Quartz job: at a cron fire, adds a one-shot trigger at fire + offset; at that one, asks
   * JOSDK to reconcile.
   */
  public static class Fire implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      try {
        var data = context.getMergedJobDataMap();
        if (JITTERED.equals(context.getTrigger().getKey().getGroup())) {
          var source = (VerificationScheduleSource) context.getScheduler().getContext().get(SOURCE);
          source.fire(data.getString("name"), data.getString("namespace"));
          return;
        }
        Instant fire = context.getScheduledFireTime().toInstant();
        Duration offset =
            Schedules.verificationOffset(
                data.getString("schedule"), data.getString("identity"), fire);
        JobKey job = context.getJobDetail().getKey();
        context
            .getScheduler()
            .scheduleJob(
                TriggerBuilder.newTrigger()
                    .withIdentity(
                        job.getGroup() + "/" + job.getName() + "@" + fire.toEpochMilli(), JITTERED)
                    .forJob(job)
                    .startAt(Date.from(fire.plus(offset)))
                    .build());
      } catch (SchedulerException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
